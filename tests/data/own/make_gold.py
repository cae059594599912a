"""Builds the gold JSONL of our own test articles (tests/data/own/*.txt).

Each span is given by its exact text and which occurrence it is (1 = first),
so offsets are computed, never typed; `text[start:end]` is checked. Offsets
count code points (Python str indices). Run: python3 make_gold.py
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

ARTICLES = {
"port-strike": (
"""Dock workers at the port of Halden walked off the job on Monday, halting cargo traffic for the third time this year.

“We are not asking for miracles, we are asking for fair pay,” said Lena Brandt, the union’s chief negotiator. She warned that the strike could last for weeks if the company refused to return to the table.

The port operator, Nordhavn Logistics, criticized the walkout as reckless. Its spokesman, Tomas Eide, said: “The union has rejected three offers in good faith.” He added that the company remained open to mediation.

Local business owners expressed concern about empty shelves. “If this goes on, small shops will close,” Brandt said. “We never wanted that, but the company leaves us no choice
""",
[
 ("cl1","Claim","We are not asking for miracles, we are asking for fair pay",1,{"mode":"direct","cue":"said"}),
 ("sp1","Speaker","Lena Brandt",1,{"entity":"Lena Brandt"}),
 ("sp2","Speaker","She",1,{"entity":"Lena Brandt"}),
 ("cl2","Claim","the strike could last for weeks if the company refused to return to the table",1,{"mode":"indirect","cue":"warned"}),
 ("sp3","Speaker","Nordhavn Logistics",1,{"entity":"Nordhavn Logistics"}),
 ("st1","Stance","criticized",1,{"polarity":"against","target":"the walkout"}),
 ("sp4","Speaker","Tomas Eide",1,{"entity":"Tomas Eide"}),
 ("cl3","Claim","The union has rejected three offers in good faith",1,{"mode":"direct","cue":"said"}),
 ("sp5","Speaker","He",1,{"entity":"Tomas Eide"}),
 ("cl4","Claim","the company remained open to mediation",1,{"mode":"indirect","cue":"added"}),
 ("sp6","Speaker","Local business owners",1,{"entity":"local business owners"}),
 ("st2","Stance","expressed concern about",1,{"polarity":"against","target":"empty shelves"}),
 ("cl5","Claim","If this goes on, small shops will close",1,{"mode":"direct","cue":"said"}),
 ("sp7","Speaker","Brandt",2,{"entity":"Lena Brandt"}),
 ("cl6","Claim","We never wanted that, but the company leaves us no choice",1,{"mode":"direct","cue":""}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("held_by","st1","sp3"),("said_by","cl3","sp4"),
 ("said_by","cl4","sp5"),("held_by","st2","sp6"),("said_by","cl5","sp7"),("said_by","cl6","sp7")]),

"water-plan": (
"""The regional council approved a plan on Thursday to cap water use by farms during the drought.

According to council chair Amina Osei, the cap will cut consumption by a fifth within two years. Farm groups do not support the measure. Their association said in a statement that the council had ignored its proposals. Moreover, the plan would push small farms out of business.

Environmental groups welcomed the decision. “This is the first serious step in a decade,” said Jonas Keller, who heads the local branch of Green Rivers. Keller argued that the cap should have come much earlier.

Osei rejected the farmers’ criticism. She said the council had consulted every district before the vote.
""",
[
 ("sp1","Speaker","Amina Osei",1,{"entity":"Amina Osei"}),
 ("cl1","Claim","the cap will cut consumption by a fifth within two years",1,{"mode":"indirect","cue":"according to"}),
 ("sp2","Speaker","Farm groups",1,{"entity":"farm groups"}),
 ("st1","Stance","do not support",1,{"polarity":"against","target":"the measure"}),
 ("sp3","Speaker","Their association",1,{"entity":"farm groups"}),
 ("cl2","Claim","the council had ignored its proposals",1,{"mode":"indirect","cue":"said"}),
 ("cl3","Claim","the plan would push small farms out of business",1,{"mode":"indirect","cue":""}),
 ("sp4","Speaker","Environmental groups",1,{"entity":"environmental groups"}),
 ("st2","Stance","welcomed",1,{"polarity":"favor","target":"the decision"}),
 ("cl4","Claim","This is the first serious step in a decade",1,{"mode":"direct","cue":"said"}),
 ("sp5","Speaker","Jonas Keller",1,{"entity":"Jonas Keller"}),
 ("sp6","Speaker","Keller",2,{"entity":"Jonas Keller"}),
 ("cl5","Claim","the cap should have come much earlier",1,{"mode":"indirect","cue":"argued"}),
 ("sp7","Speaker","Osei",2,{"entity":"Amina Osei"}),
 ("st3","Stance","rejected",1,{"polarity":"against","target":"the farmers’ criticism"}),
 ("sp8","Speaker","She",1,{"entity":"Amina Osei"}),
 ("cl6","Claim","the council had consulted every district before the vote",1,{"mode":"indirect","cue":"said"}),
],
[("said_by","cl1","sp1"),("held_by","st1","sp2"),("said_by","cl2","sp3"),("said_by","cl3","sp3"),
 ("held_by","st2","sp4"),("said_by","cl4","sp5"),("said_by","cl5","sp6"),("held_by","st3","sp7"),("said_by","cl6","sp8")]),

"corridor-talks": (
"""The foreign ministers of Canada and Mexico met in Ottawa on Friday to discuss a new trade corridor.

Canadian Foreign Minister Claire Dubois said the talks had been productive. “We agreed on a timetable. We did not agree on everything, and that is normal,” she told reporters after the meeting.

Her Mexican counterpart, Rafael Ortega, struck a more cautious tone. “The corridor is a good idea,” Ortega said, “but it cannot come at the expense of our farmers.” He called the current tariffs “unfair and outdated.”

Both ministers expressed support for a joint review in the spring. They said that a final agreement could be signed before the end of the year.
""",
[
 ("sp1","Speaker","Claire Dubois",1,{"entity":"Claire Dubois"}),
 ("cl1","Claim","the talks had been productive",1,{"mode":"indirect","cue":"said"}),
 ("cl2","Claim","We agreed on a timetable. We did not agree on everything, and that is normal",1,{"mode":"direct","cue":"told"}),
 ("sp2","Speaker","she",1,{"entity":"Claire Dubois"}),
 ("cl3","Claim","The corridor is a good idea",1,{"mode":"direct","cue":"said"}),
 ("st1","Stance","a good idea",1,{"polarity":"favor","target":"the corridor"}),
 ("sp3","Speaker","Ortega",2,{"entity":"Rafael Ortega"}),
 ("cl4","Claim","but it cannot come at the expense of our farmers",1,{"mode":"direct","cue":"said"}),
 ("sp4","Speaker","He",1,{"entity":"Rafael Ortega"}),
 ("cl5","Claim","unfair and outdated",1,{"mode":"direct","cue":"called"}),
 ("st2","Stance","unfair and outdated",1,{"polarity":"against","target":"the current tariffs"}),
 ("sp5","Speaker","Both ministers",1,{"entity":"Claire Dubois; Rafael Ortega"}),
 ("st3","Stance","expressed support for",1,{"polarity":"favor","target":"a joint review"}),
 ("sp6","Speaker","They",1,{"entity":"Claire Dubois; Rafael Ortega"}),
 ("cl6","Claim","a final agreement could be signed before the end of the year",1,{"mode":"indirect","cue":"said"}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("said_by","cl3","sp3"),("held_by","st1","sp3"),
 ("said_by","cl4","sp3"),("said_by","cl5","sp4"),("held_by","st2","sp4"),("held_by","st3","sp5"),("said_by","cl6","sp6")]),

"rate-rise": (
"""The central bank of Norland raised its main interest rate by half a point on Wednesday, the fourth increase this year.

In a statement, the Norland Central Bank said inflation remained far too high. Governor Piet Vos told reporters that further increases could not be ruled out. He defended the decision, saying that households would benefit from stable prices in the long run.

The decision drew sharp criticism from the opposition. Labour finance spokesperson Mira Haas condemned the increase as a blow to young families. “We do not support this course,” Haas said.

Retailers were divided. The Norland Retail Federation said it understood the move, but warned that consumer spending was already falling.
""",
[
 ("sp1","Speaker","the Norland Central Bank",1,{"entity":"Norland Central Bank"}),
 ("cl1","Claim","inflation remained far too high",1,{"mode":"indirect","cue":"said"}),
 ("sp2","Speaker","Piet Vos",1,{"entity":"Piet Vos"}),
 ("cl2","Claim","further increases could not be ruled out",1,{"mode":"indirect","cue":"told"}),
 ("sp3","Speaker","He",1,{"entity":"Piet Vos"}),
 ("st1","Stance","defended",1,{"polarity":"favor","target":"the decision"}),
 ("cl3","Claim","households would benefit from stable prices in the long run",1,{"mode":"indirect","cue":"saying"}),
 ("st2","Stance","sharp criticism",1,{"polarity":"against","target":"the decision"}),
 ("sp4","Speaker","the opposition",1,{"entity":"opposition"}),
 ("sp5","Speaker","Mira Haas",1,{"entity":"Mira Haas"}),
 ("st3","Stance","condemned",1,{"polarity":"against","target":"the increase"}),
 ("cl4","Claim","We do not support this course",1,{"mode":"direct","cue":"said"}),
 ("st4","Stance","do not support",1,{"polarity":"against","target":"this course"}),
 ("sp6","Speaker","Haas",2,{"entity":"Mira Haas"}),
 ("sp7","Speaker","The Norland Retail Federation",1,{"entity":"Norland Retail Federation"}),
 ("cl5","Claim","it understood the move",1,{"mode":"indirect","cue":"said"}),
 ("cl6","Claim","consumer spending was already falling",1,{"mode":"indirect","cue":"warned"}),
],
[("said_by","cl1","sp1"),("said_by","cl2","sp2"),("held_by","st1","sp3"),("said_by","cl3","sp3"),
 ("held_by","st2","sp4"),("held_by","st3","sp5"),("said_by","cl4","sp6"),("held_by","st4","sp6"),
 ("said_by","cl5","sp7"),("said_by","cl6","sp7")]),
}

def find(text, s, nth):
    pos = -1
    for _ in range(nth):
        pos = text.find(s, pos + 1)
        if pos < 0:
            raise SystemExit(f"not found: {s!r} #{nth}")
    return pos

out = []
for doc_id, (text, spans, rels) in ARTICLES.items():
    with open(os.path.join(HERE, doc_id + ".txt"), "w", encoding="utf-8") as f:
        f.write(text)
    recs = []
    for sid, label, s, nth, attrs in spans:
        start = find(text, s, nth)
        end = start + len(s)
        assert text[start:end] == s
        recs.append({"id": sid, "start": start, "end": end, "label": label, "text": s, "attrs": attrs})
    recs.sort(key=lambda r: (r["start"], r["end"]))
    ids = {r["id"] for r in recs}
    for k, a, b in rels:
        assert a in ids and b in ids, (doc_id, a, b)
    out.append({"id": doc_id, "text": text, "spans": recs,
                "relations": [{"type": k, "from": a, "to": b} for k, a, b in rels]})
with open(os.path.join(HERE, "own.gold.jsonl"), "w", encoding="utf-8") as f:
    for d in out:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(len(out), "documents")
