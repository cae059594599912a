"""Builds the gold JSONL of held-out test articles (written after the default
rules, to measure them on text they were not tuned on). Spans are given by
their text and occurrence; offsets are computed and checked (code points).
Run: python3 make_gold.py
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

ARTICLES = {
"hospital-visits": (
"""The health ministry on Wednesday announced new limits on hospital visits as flu cases rose sharply.

“Our emergency rooms are full, and staff are exhausted,” Health Minister Sara Lind told reporters in Oslo. Lind said the limits would stay in place until at least March.

Hospital managers welcomed the move. Per Dahl, who runs the largest clinic in the region, said that visitors had been spreading the virus in waiting rooms.

Patient groups criticized the decision. “Isolating elderly patients from their families is cruel,” said Anne Moe, a spokeswoman for the Senior Citizens Alliance. She urged the ministry to allow at least one visitor per patient.
""",
[
 ("cl1","Claim","Our emergency rooms are full, and staff are exhausted",1,{"mode":"direct","cue":"told"}),
 ("sp1","Speaker","Sara Lind",1,{"entity":"Sara Lind"}),
 ("sp2","Speaker","Lind",2,{"entity":"Sara Lind"}),
 ("cl2","Claim","the limits would stay in place until at least March",1,{"mode":"indirect","cue":"said"}),
 ("sp3","Speaker","Hospital managers",1,{"entity":"hospital managers"}),
 ("st1","Stance","welcomed",1,{"polarity":"favor","target":"the move"}),
 ("sp4","Speaker","Per Dahl",1,{"entity":"Per Dahl"}),
 ("cl3","Claim","visitors had been spreading the virus in waiting rooms",1,{"mode":"indirect","cue":"said"}),
 ("sp5","Speaker","Patient groups",1,{"entity":"patient groups"}),
 ("st2","Stance","criticized",1,{"polarity":"against","target":"the decision"}),
 ("cl4","Claim","Isolating elderly patients from their families is cruel",1,{"mode":"direct","cue":"said"}),
 ("sp6","Speaker","Anne Moe",1,{"entity":"Anne Moe"}),
 ("sp7","Speaker","She",1,{"entity":"Anne Moe"}),
 ("st3","Stance","urged",1,{"polarity":"favor","target":"allow at least one visitor per patient"}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("held_by","st1","sp3"),("said_by","cl3","sp4"),
 ("held_by","st2","sp5"),("said_by","cl4","sp6"),("held_by","st3","sp7")]),

"phone-ruling": (
"""A federal judge on Friday blocked a state law that would have banned the sale of encrypted phones.

Judge Maria Reyes wrote that the law violated the constitution’s protection of free speech. The state attorney general, Mark Olsen, said he would appeal the ruling.

Civil liberties groups praised the decision. “This is a victory for everyone who values privacy,” said Tom Hale of the Digital Rights Center.

Police unions, however, warned that criminals would now be harder to track. According to the union’s president, Dana Cole, officers have lost access to crucial evidence in dozens of cases.
""",
[
 ("sp1","Speaker","Maria Reyes",1,{"entity":"Maria Reyes"}),
 ("cl1","Claim","the law violated the constitution’s protection of free speech",1,{"mode":"indirect","cue":"wrote"}),
 ("sp2","Speaker","Mark Olsen",1,{"entity":"Mark Olsen"}),
 ("cl2","Claim","he would appeal the ruling",1,{"mode":"indirect","cue":"said"}),
 ("sp3","Speaker","Civil liberties groups",1,{"entity":"civil liberties groups"}),
 ("st1","Stance","praised",1,{"polarity":"favor","target":"the decision"}),
 ("cl3","Claim","This is a victory for everyone who values privacy",1,{"mode":"direct","cue":"said"}),
 ("sp4","Speaker","Tom Hale",1,{"entity":"Tom Hale"}),
 ("sp5","Speaker","Police unions",1,{"entity":"police unions"}),
 ("cl4","Claim","criminals would now be harder to track",1,{"mode":"indirect","cue":"warned"}),
 ("sp6","Speaker","Dana Cole",1,{"entity":"Dana Cole"}),
 ("cl5","Claim","officers have lost access to crucial evidence in dozens of cases",1,{"mode":"indirect","cue":"according to"}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("held_by","st1","sp3"),("said_by","cl3","sp4"),
 ("said_by","cl4","sp5"),("said_by","cl5","sp6")]),

"car-forecast": (
"""Shares in Vantor Motors fell 8 percent after the carmaker cut its sales forecast for the year.

Chief executive Ingrid Berg said demand in Europe had weakened. “The market has turned faster than anyone expected,” she said in a call with analysts. Berg added that the company would not cut jobs.

Analysts were less optimistic. Omar Siddiqui, an analyst at Kessler Bank, said the forecast was still too high. He expressed doubt about the company’s plan to launch three new models next year.
""",
[
 ("sp1","Speaker","Ingrid Berg",1,{"entity":"Ingrid Berg"}),
 ("cl1","Claim","demand in Europe had weakened",1,{"mode":"indirect","cue":"said"}),
 ("cl2","Claim","The market has turned faster than anyone expected",1,{"mode":"direct","cue":"said"}),
 ("sp2","Speaker","she",1,{"entity":"Ingrid Berg"}),
 ("sp3","Speaker","Berg",2,{"entity":"Ingrid Berg"}),
 ("cl3","Claim","the company would not cut jobs",1,{"mode":"indirect","cue":"added"}),
 ("sp4","Speaker","Omar Siddiqui",1,{"entity":"Omar Siddiqui"}),
 ("cl4","Claim","the forecast was still too high",1,{"mode":"indirect","cue":"said"}),
 ("sp5","Speaker","He",1,{"entity":"Omar Siddiqui"}),
 ("st1","Stance","expressed doubt about",1,{"polarity":"against","target":"the company’s plan to launch three new models"}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("said_by","cl3","sp3"),("said_by","cl4","sp4"),
 ("held_by","st1","sp5")]),
}

def find(text, needle, nth):
    at = -1
    for _ in range(nth):
        at = text.find(needle, at + 1)
        assert at >= 0, (needle, nth)
    return at

with open(os.path.join(HERE, "heldout.gold.jsonl"), "w", encoding="utf-8") as out:
    for name, (text, spans, rels) in ARTICLES.items():
        with open(os.path.join(HERE, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
        recs = []
        for sid, label, needle, nth, attrs in spans:
            start = find(text, needle, nth)
            end = start + len(needle)
            assert text[start:end] == needle
            recs.append({"id": sid, "start": start, "end": end, "label": label, "text": needle, "attrs": attrs})
        recs.sort(key=lambda s: (s["start"], -s["end"]))
        rel = [{"type": t, "from": a, "to": b} for t, a, b in rels]
        out.write(json.dumps({"id": name, "text": text, "spans": recs, "relations": rel}, ensure_ascii=False) + "\n")
