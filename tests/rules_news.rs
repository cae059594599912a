//! The default rules on the ways real news attributes: one sentence (or
//! two) per case, written for this test, with the speaker and the claim or
//! stance the rules must suggest. Each row names what it covers, so that a
//! failure says which construction broke.

use sayso::rules::{RuleSet, Suggestions};

/// `(what it covers, text, speaker, label, words of the claim or stance)`.
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "title with a period before the name",
        "“We will win,” Mr. Obama said.",
        "Obama",
        "Claim",
        "We will win",
    ),
    (
        "title with a period, indirect speech",
        "Ms. Smith said the vote was rigged.",
        "Smith",
        "Claim",
        "the vote was rigged",
    ),
    (
        "verb before a titled speaker",
        "“We will win,” said Mr. Obama.",
        "Obama",
        "Claim",
        "We will win",
    ),
    (
        "a day after the verb is not the content",
        "Rep. Gwen Moore said Friday that the bill was dead.",
        "Gwen Moore",
        "Claim",
        "the bill was dead",
    ),
    (
        "a surname alone opening the text",
        "Smith said officials had a video.",
        "Smith",
        "Claim",
        "officials had a video",
    ),
    (
        "quotation ending in a question mark",
        "The crowd was quiet. “Will we win?” she asked.",
        "she",
        "Claim",
        "Will we win?",
    ),
    (
        "quotation ending in an exclamation mark",
        "“We won!” he said.",
        "he",
        "Claim",
        "We won!",
    ),
    (
        "quotation marked with two apostrophes",
        "''This is not a combat mission,'' one senior official said.",
        "one senior official",
        "Claim",
        "This is not a combat mission",
    ),
    (
        "party tag after the name",
        "Sen. Tammy Baldwin (D-Wis.) said the plan was bad.",
        "Tammy Baldwin",
        "Claim",
        "the plan was bad",
    ),
    (
        "unnamed official",
        "A senior official said the talks had failed.",
        "A senior official",
        "Claim",
        "the talks had failed",
    ),
    (
        "described person",
        "The 34-year-old mother of three replied that she was innocent.",
        "The 34-year-old mother",
        "Claim",
        "she was innocent",
    ),
    (
        "`it` for an organisation",
        "The company issued a notice. It said the bridge was closed.",
        "It",
        "Claim",
        "the bridge was closed",
    ),
    (
        "British title without a period",
        "Mr Jones said the deal was off.",
        "Jones",
        "Claim",
        "the deal was off",
    ),
    (
        "headline attribution",
        "Senator backs tax plan.",
        "Senator",
        "Stance",
        "backs tax plan",
    ),
    (
        "passive agent",
        "The attack was reported by The Washington Post.",
        "The Washington Post",
        "Claim",
        "The attack",
    ),
    (
        "a document as the source",
        "A report found that wages had fallen.",
        "A report",
        "Claim",
        "wages had fallen",
    ),
    (
        "indirect content before the speaker",
        "The plan would fail, he said.",
        "he",
        "Claim",
        "The plan would fail",
    ),
    (
        "nominal cue with a possessor",
        "The governor’s insistence that the law is fair angered many.",
        "The governor",
        "Claim",
        "the law is fair",
    ),
    (
        "colon cue",
        "Trump: “I will win this state.”",
        "Trump",
        "Claim",
        "I will win this state",
    ),
    (
        "a capitalized opener is not the holder",
        "Following the meeting, the president praised the deal.",
        "the president",
        "Stance",
        "praised the deal",
    ),
    (
        "the audience of `told` is not the content",
        "He told USA Today that he would run.",
        "He",
        "Claim",
        "he would run",
    ),
    (
        "`asked whether`",
        "She asked whether the vote was fair.",
        "She",
        "Claim",
        "the vote was fair",
    ),
    (
        "a noun phrase as the content",
        "The senator cited his own record.",
        "The senator",
        "Claim",
        "his own record",
    ),
    (
        "an appositive between speaker and verb",
        "Cory James, 22, of Flint, said he had not given up hope.",
        "Cory James",
        "Claim",
        "he had not given up hope",
    ),
    (
        "an intention",
        "Clinton wants to raise taxes on the rich.",
        "Clinton",
        "Stance",
        "wants to raise taxes on the rich",
    ),
    (
        "an appositive after an inverted speaker",
        "The mandates are a burden, said Jane Wilcox, an Orlando Republican who founded two firms.",
        "Jane Wilcox",
        "Claim",
        "The mandates are a burden",
    ),
    (
        "a question ends its sentence before the speaker",
        "The hall went quiet. “Why not now?” Rubio asked. Nobody answered him.",
        "Rubio",
        "Claim",
        "Why not now?",
    ),
    (
        "a name suffix with its period",
        "James Comey Jr. said the case was closed.",
        "James Comey Jr",
        "Claim",
        "the case was closed",
    ),
    (
        "an age alone names the speaker",
        "“He has always been a leader,” said the 46-year-old.",
        "the 46-year-old",
        "Claim",
        "He has always been a leader",
    ),
    (
        "a role before the name",
        "The river rose. Even the old bridge held, says spokeswoman Ann Lee in Boston.",
        "Ann Lee",
        "Claim",
        "Even the old bridge held",
    ),
    (
        "a place-based name",
        "“The race is over,” Texas-based Matt Mackay said.",
        "Texas-based Matt Mackay",
        "Claim",
        "The race is over",
    ),
    (
        "`according to` a long description",
        "According to early results of exit polls taken for two networks, turnout was high.",
        "early results of exit polls taken for two networks",
        "Claim",
        "turnout was high",
    ),
    (
        "`according to` a description at the end",
        "London led the index in 2015, according to one global survey of bankers.",
        "one global survey",
        "Claim",
        "London led the index in 2015",
    ),
    (
        "a speaker set off by commas inside the content",
        "The plan, the mayor said, would fail within a year.",
        "the mayor",
        "Claim",
        "would fail within a year",
    ),
    (
        "words between the speaker and a colon",
        "Jones met Smith. Smith gave a short reply: “No one is tearing this up.”",
        "Smith",
        "Claim",
        "No one is tearing this up",
    ),
    (
        "a described source without a determiner after the content",
        "It is impossible to check every account, law enforcement officials say.",
        "law enforcement officials",
        "Claim",
        "It is impossible to check every account",
    ),
    (
        "records as the source at the end",
        "Most of the money came from two firms, campaign records show.",
        "campaign records",
        "Claim",
        "Most of the money came from two firms",
    ),
    (
        "a long adjunct between the verb and `that`",
        "Adelson said earlier on Friday during a news conference that he may wait.",
        "Adelson",
        "Claim",
        "he may wait",
    ),
    (
        "a place or occasion between the verb and the clause, without `that`",
        "She wrote in a statement the bill was unfair to farmers.",
        "She",
        "Claim",
        "the bill was unfair to farmers",
    ),
    (
        "a speaker right before a reporting participle",
        "The race tightened, with Gov. Martin O’Malley calling the plan a fraud.",
        "Martin O’Malley",
        "Claim",
        "the plan a fraud",
    ),
    (
        "a belief verb with its content",
        "Voters know the economy is weak, and they feel the plan came too late.",
        "Voters",
        "Claim",
        "the economy is weak",
    ),
    (
        "a claim inside a claim keeps its own pronoun speaker",
        "Ms. Lee said she told reporters the plan had failed.",
        "she",
        "Claim",
        "the plan had failed",
    ),
    (
        "an attribution inside another: the outer one",
        "“Voters are tired,” Walker said, according to a local newspaper.",
        "a local newspaper",
        "Claim",
        "Walker said",
    ),
    (
        "an attribution inside another: the inner one",
        "“Voters are tired,” Walker said, according to a local newspaper.",
        "Walker",
        "Claim",
        "Voters are tired",
    ),
    (
        "an attribution inside another's indirect content: the outer one",
        "Bolton said the plan would fail, as Mr. Obama knows what a real threat is.",
        "Bolton",
        "Claim",
        "the plan would fail",
    ),
    (
        "an attribution inside another's indirect content: the inner one",
        "Bolton said the plan would fail, as Mr. Obama knows what a real threat is.",
        "Obama",
        "Claim",
        "a real threat",
    ),
    (
        "a possessive inside a described source",
        "“It is wrong,” the paper's editorial board wrote.",
        "the paper's editorial board",
        "Claim",
        "It is wrong",
    ),
    (
        "a place name between the words of a role",
        "“It is wrong,” the former Florida governor said.",
        "the former Florida governor",
        "Claim",
        "It is wrong",
    ),
    (
        "a phrase after the source, before the verb",
        "Organizers of the weekend rally said the city's rules increased the risk.",
        "Organizers",
        "Claim",
        "the city's rules increased the risk",
    ),
    (
        "an adjective and its phrase after the source",
        "People familiar with the talks said that the deal was off.",
        "People",
        "Claim",
        "the deal was off",
    ),
    (
        "a proportion as the source",
        "Nearly nine out of 10 say they will need new skills.",
        "Nearly nine out of 10",
        "Claim",
        "they will need new skills",
    ),
    (
        "a comparison as the source",
        "More than half said they were tired of the race.",
        "More than half",
        "Claim",
        "they were tired of the race",
    ),
    (
        "content, then a speaker who told an audience",
        "The union will sit out the election, a union director told reporters on Monday.",
        "a union director",
        "Claim",
        "The union will sit out the election",
    ),
    (
        "content, then the verb and a role before the name",
        "The region is changing fast, says political scientist Jane Roe in Almaty.",
        "Jane Roe",
        "Claim",
        "The region is changing fast",
    ),
    (
        "an `as` clause before the content",
        "But as Jane Roe points out in a column, interviews give the candidate an advantage.",
        "Jane Roe",
        "Claim",
        "interviews give the candidate an advantage",
    ),
    (
        "an `as` clause after the content",
        "It is a classic scare tactic, as John Doe noted in a magazine.",
        "John Doe",
        "Claim",
        "It is a classic scare tactic",
    ),
    (
        "a poll opening the sentence",
        "In a CNN poll released Monday, half of the respondents chose the governor.",
        "a CNN poll released Monday",
        "Claim",
        "half of the respondents chose the governor",
    ),
    (
        "a headline: speaker, colon, what they say",
        "Jane Roe: The Senator Is a Failure in Business.\nOn Saturday she spoke in Boston.",
        "Jane Roe",
        "Claim",
        "The Senator Is a Failure in Business",
    ),
    (
        "a transcript line",
        "HOST: Well, the plan is bad for the city.\nGUEST: No, it is not.",
        "HOST",
        "Claim",
        "Well, the plan is bad for the city",
    ),
    (
        "two names joined by a slash in a source",
        "According to a Reuters/Ipsos poll, the two candidates are in a dead heat.",
        "a Reuters/Ipsos poll",
        "Claim",
        "the two candidates are in a dead heat",
    ),
    (
        "a web address as the source",
        "They were merchants in the city, according to example-news.fr.",
        "example-news.fr",
        "Claim",
        "They were merchants in the city",
    ),
    (
        "a possessive before the speaker of a quotation",
        "“We need more time,” the Union Party’s John Doe told the agency.",
        "John Doe",
        "Claim",
        "We need more time",
    ),
    (
        "the verb, a lowercase role, then the name",
        "“It is a hot item,” said conservative activist Bob Roe.",
        "Bob Roe",
        "Claim",
        "It is a hot item",
    ),
    (
        "a long appositive between speaker and verb",
        "Jane Roe, a cyber security expert who has helped investigate some of the breaches uncovered to date, said she saw no evidence of the hack.",
        "Jane Roe",
        "Claim",
        "she saw no evidence of the hack",
    ),
    (
        "an apostrophe before a number inside a quotation",
        "“I come from the '60s, a long time ago,” she told the moderator.",
        "she",
        "Claim",
        "I come from the '60s, a long time ago",
    ),
    (
        "content, speaker and verb ending at a semicolon",
        "She did receive some emails with markings, he said; his agents found them.",
        "he",
        "Claim",
        "She did receive some emails with markings",
    ),
    (
        "a quotation inside a sentence, said by its subject",
        "The crowd laughed. He then adopted a fake accent and joked, “But I am going to make it easier for them.”",
        "He",
        "Claim",
        "But I am going to make it easier for them",
    ),
    (
        "a position taken with a preposition after an auxiliary",
        "Sanders has voted against the bill twice.",
        "Sanders",
        "Stance",
        "voted against the bill",
    ),
    (
        "a form of be and an adjective of a position",
        "The governor was critical of the deal.",
        "The governor",
        "Stance",
        "critical of the deal",
    ),
    (
        "a verb of speech and its topic",
        "Officials said little. The mayor commented on the ruling during a visit.",
        "The mayor",
        "Claim",
        "the ruling",
    ),
    (
        "a name in apposition to a role, then the verb",
        "Her lawyer, David Kendall, declined to comment.",
        "David Kendall",
        "Stance",
        "declined to comment",
    ),
    (
        "a pronoun after a phrase of time",
        "Asked about the account, at the town hall this week she said she did not believe it was an error.",
        "she",
        "Claim",
        "she did not believe it was an error",
    ),
    (
        "a reporting verb in a relative clause inside the appositive",
        "Zeke Emanuel, an oncologist who advised Obama on the overhaul, said the law has been a success.",
        "Zeke Emanuel",
        "Claim",
        "the law has been a success",
    ),
    (
        "those surveyed as the source",
        "By double digits, those surveyed say stricter gun laws would help.",
        "those surveyed",
        "Claim",
        "stricter gun laws would help",
    ),
    (
        "a new source after a comma ends the content before it",
        "Only 7 percent said they are undecided, while most voters said they could change their mind.",
        "most voters",
        "Claim",
        "they could change their mind",
    ),
    (
        "a wish for something is a stance",
        "Sanders wants a vast expansion of the federal government.",
        "Sanders",
        "Stance",
        "wants a vast expansion",
    ),
    (
        "a verb of attack is a stance against",
        "Warren lambasted the bank for its fees.",
        "Warren",
        "Stance",
        "lambasted the bank",
    ),
    (
        "a document's verb without that",
        "Officials said little on Monday. Polls have shown most voters oppose the plan.",
        "Polls",
        "Claim",
        "most voters oppose the plan",
    ),
    (
        "a state after a town is no subject",
        "The officer met him in Jupiter, Fla., and signed paperwork ordering him to appear in court.",
        "The officer",
        "Claim",
        "paperwork ordering him",
    ),
];

fn text_of(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The suggested spans of `label` and the text of the speaker each is linked to.
fn linked(text: &str, s: &Suggestions, label: &str) -> Vec<(String, String)> {
    s.relations
        .iter()
        .filter(|r| s.spans[r.from].label == label)
        .map(|r| {
            let (a, b) = (&s.spans[r.from], &s.spans[r.to]);
            (text_of(text, a.start, a.end), text_of(text, b.start, b.end))
        })
        .collect()
}

#[test]
fn real_news_constructions_are_attributed() {
    let rules = RuleSet::default_en_news();
    let mut failed = Vec::new();
    for &(what, text, speaker, label, content) in CASES {
        let got = linked(text, &rules.suggest(text), label);
        let ok = got.iter().any(|(c, s)| c.contains(content) && s == speaker);
        if !ok {
            failed.push(format!(
                "{what}: {text:?} wants {label} {content:?} by {speaker:?}, got {got:?}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn titles_and_tags_stay_outside_the_speaker() {
    let rules = RuleSet::default_en_news();
    for text in [
        "“We will win,” said Mr. Obama.",
        "Rep. Gwen Moore said the bill was dead.",
        "Sen. Rand Paul (R-Ky.) said the bill was dead.",
    ] {
        let s = rules.suggest(text);
        for sp in s.spans.iter().filter(|s| s.label == "Speaker") {
            let t = text_of(text, sp.start, sp.end);
            assert!(
                !["Mr", "Rep", "Sen", "R-Ky"].contains(&t.as_str()) && !t.contains('('),
                "{text:?}: Speaker {t:?}"
            );
        }
    }
}

#[test]
fn what_is_no_attribution_stays_unsuggested() {
    let rules = RuleSet::default_en_news();
    for text in [
        // `favor` as a noun is no stance.
        "The mayor was doing everyone a favor.",
        // A verb after `to` reports nothing (a purpose).
        "The ministers met in Ottawa to discuss a new trade corridor.",
        // A share of support is no one's stance, nor is a criticism after `the`.
        "Clinton has 36 percent support among Democrats.",
        "The senator returned to Ohio, where the criticism had started.",
        // The subject of a passive is not its source.
        "Sanders is viewed somewhat more positively by Republicans than Clinton is.",
        "Trump was criticized for his remarks about the judge.",
        // A label opening a line is no speaker.
        "CORRECTION: An earlier version of this article misstated the date.",
        "The Latest: Voting ends in the state primary at 8 p.m.",
    ] {
        let s = rules.suggest(text);
        assert!(
            s.spans.iter().all(|x| x.label == "Speaker")
                && s.relations.is_empty()
                && s.spans.is_empty(),
            "{text:?}: {:?}",
            s.spans
                .iter()
                .map(|x| (x.label.clone(), text_of(text, x.start, x.end)))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn words_inside_a_quotation_speak_only_there() {
    // The pronoun inside the quotation is the quoted man's own word: the
    // claim after it is his, not a new speaker `I`'s or `we`'s.
    let text = "“We think the plan will fail and I said so,” Jones said.";
    let s = RuleSet::default_en_news().suggest(text);
    let speakers: Vec<String> = s
        .spans
        .iter()
        .filter(|x| x.label == "Speaker")
        .map(|x| text_of(text, x.start, x.end))
        .collect();
    assert_eq!(speakers, ["Jones"]);
}

#[test]
fn a_pronoun_inside_a_claim_stands_for_its_speaker() {
    // One statement, one speaker: the stance inside the claim is held by
    // the claim's speaker mention, not by a second speaker `he`.
    let text = "Christie announced that he would support the nominee.";
    let s = RuleSet::default_en_news().suggest(text);
    let speakers: Vec<String> = s
        .spans
        .iter()
        .filter(|x| x.label == "Speaker")
        .map(|x| text_of(text, x.start, x.end))
        .collect();
    assert_eq!(speakers, ["Christie"]);
    assert!(
        linked(text, &s, "Stance")
            .iter()
            .any(|(c, sp)| c.contains("support the nominee") && sp == "Christie")
    );
}

#[test]
fn a_pronoun_in_a_relative_clause_speaks_for_no_claim() {
    // `which he said runs ...`: the pronoun stands inside a relative clause,
    // not where a subject of the sentence can.
    let text =
        "Trump has blasted the delegate system, which he said runs the risk of leaving voters out.";
    let s = RuleSet::default_en_news().suggest(text);
    assert!(
        !linked(text, &s, "Claim").iter().any(|(_, sp)| sp == "he"),
        "{:?}",
        linked(text, &s, "Claim")
    );
}
