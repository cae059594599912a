//! Quotation finder: straight and curly double quotes, single curly quotes,
//! guillemets, doubled apostrophes and backticks (`''...''`, ``` ``...'' ```);
//! quotes spanning sentences and paragraphs (a paragraph that ends inside a
//! quote and a next paragraph that opens with the same mark continue it, as
//! news style does); an unclosed quote ends at its line's end and is flagged.

use super::tokenize::Token;

/// One quotation, in token indices over the token vector it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Index of the opening mark.
    pub open_tok: usize,
    /// Index of the closing mark, `None` when unclosed.
    pub close_tok: Option<usize>,
    /// One past the last token of the quotation (the closing mark included).
    pub end_tok: usize,
    /// The opening mark.
    pub mark: char,
    /// No closing mark before the paragraph end.
    pub unclosed: bool,
    /// Runs over more than one paragraph.
    pub multi_paragraph: bool,
    /// Nesting depth: 0 for an outer quote.
    pub depth: usize,
}

impl Quote {
    /// Token range of the words inside the marks.
    pub fn inner(&self) -> std::ops::Range<usize> {
        self.open_tok + 1..self.close_tok.unwrap_or(self.end_tok)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(char),
    Close(char),
    /// Straight `"` or `'`: decided by context.
    Either(char),
    /// `’`: closes an open `‘`, otherwise an apostrophe.
    CloseSingleOrApostrophe,
}

fn mark_of(s: &str) -> Option<Mark> {
    let mut it = s.chars();
    let c = it.next()?;
    if it.next().is_some() {
        return None;
    }
    Some(match c {
        '“' | '„' | '«' | '‹' | '‘' | '「' | '『' => Mark::Open(c),
        '”' | '»' | '›' | '」' | '』' => Mark::Close(c),
        '"' | '\'' => Mark::Either(c),
        '’' => Mark::CloseSingleOrApostrophe,
        _ => return None,
    })
}

/// Two apostrophes or two backticks written for a double quotation mark
/// (`''We won,'' she said`), read as one mark at their first token: an
/// opening one for backticks, either for apostrophes.
fn doubled_mark(text: &str, tokens: &[Token], i: usize) -> Option<Mark> {
    let (a, b) = (tokens.get(i)?, tokens.get(i + 1)?);
    if a.end != b.start {
        return None;
    }
    match (a.text(text), b.text(text)) {
        ("'", "'") => Some(Mark::Either(DOUBLED)),
        ("`", "`") => Some(Mark::Open(DOUBLED)),
        _ => None,
    }
}

/// The mark of a quotation opened by a doubled mark (``` `` ``` or `''`).
const DOUBLED: char = '″';

fn closes(open: char, close: char) -> bool {
    matches!(
        (open, close),
        (DOUBLED, DOUBLED)
            | ('“', '”')
            | ('„', '“')
            | ('„', '”')
            | ('«', '»')
            | ('‹', '›')
            | ('‘', '’')
            | ('"', '"')
            | ('\'', '\'')
            | ('「', '」')
            | ('『', '』')
    )
}

fn is_single(c: char) -> bool {
    matches!(c, '‘' | '\'' | '‹' | '「')
}

struct Open {
    tok: usize,
    mark: char,
    multi: bool,
}

/// Finds the quotations in a tokenized text, ordered by opening mark.
pub fn find_quotes(text: &str, tokens: &[Token]) -> Vec<Quote> {
    let mut out = Vec::new();
    find_quotes_into(text, tokens, &mut out);
    out
}

/// Whether a token with this first byte may be a quote mark: every mark
/// begins with one of these bytes.
#[inline]
pub fn may_be_mark(first_byte: u8) -> bool {
    static FIRST: [bool; 256] = {
        let mut t = [false; 256];
        t[b'"' as usize] = true;
        t[b'\'' as usize] = true;
        t[b'`' as usize] = true;
        t[0xC2] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t
    };
    FIRST[first_byte as usize]
}

/// [`find_quotes`] into `out` (cleared first; its capacity is reused).
pub fn find_quotes_into(text: &str, tokens: &[Token], out: &mut Vec<Quote>) {
    let bytes = text.as_bytes();
    let cands: Vec<u32> = (0..tokens.len())
        .filter(|&i| {
            let t = &tokens[i];
            t.newline_before || may_be_mark(bytes.get(t.byte_start).copied().unwrap_or(0))
        })
        .map(|i| i as u32)
        .collect();
    find_quotes_among(text, tokens, &cands, out);
}

/// [`find_quotes_into`] given the tokens that start a paragraph or may be a
/// mark ([`may_be_mark`]), in order: no other token changes the result.
pub fn find_quotes_among(text: &str, tokens: &[Token], cands: &[u32], out: &mut Vec<Quote>) {
    out.clear();
    let mut stack: Vec<Open> = Vec::new();
    let n = tokens.len();
    // The second token of a doubled mark (`''`, ```` `` ````), read with the first.
    let mut second = usize::MAX;
    for &i in cands {
        let i = i as usize;
        if i >= n {
            break;
        }
        if i == second {
            continue;
        }
        let tok = &tokens[i];
        if i > 0 && tok.newline_before && !stack.is_empty() {
            // Line or paragraph boundary inside a quote: continue when this
            // line opens with the outer mark again, else close everything
            // unclosed (news text breaks lines between paragraphs only).
            let outer_mark = stack[0].mark;
            let mark = doubled_mark(text, tokens, i).or_else(|| mark_of(tok.text(text)));
            let continues = matches!(mark, Some(Mark::Open(c)) | Some(Mark::Either(c)) if c == outer_mark)
                && !is_single(outer_mark);
            if continues {
                stack.truncate(1);
                stack[0].multi = true;
                continue;
            }
            while let Some(o) = stack.pop() {
                let depth = stack.len();
                out.push(Quote {
                    open_tok: o.tok,
                    close_tok: None,
                    end_tok: i,
                    mark: o.mark,
                    unclosed: true,
                    multi_paragraph: o.multi,
                    depth,
                });
            }
        }
        let doubled = doubled_mark(text, tokens, i);
        if doubled.is_some() {
            second = i + 1;
        }
        // A doubled mark ends at its second token.
        let last = if doubled.is_some() { i + 1 } else { i };
        if let Some(m) = doubled.or_else(|| mark_of(tok.text(text))) {
            let prev_adjacent = i > 0 && tokens[i - 1].end == tok.start && !tok.para_start;
            let next_adjacent = last + 1 < n && tokens[last + 1].start == tokens[last].end;
            let close_at =
                |stack: &Vec<Open>, c: char| stack.iter().rposition(|o| closes(o.mark, c));
            // `the '60s`, `‘90s`: an apostrophe before a number drops its
            // century; it opens nothing.
            let elision = matches!(m, Mark::Open('‘') | Mark::Either('\''))
                && next_adjacent
                && tokens[last + 1]
                    .text(text)
                    .starts_with(|c: char| c.is_ascii_digit());
            if elision {
                continue;
            }
            match m {
                Mark::Open(c) => {
                    // `“` closes a German `„`.
                    if let Some(p) = close_at(&stack, c).filter(|_| c == '“') {
                        close(out, &mut stack, p, last);
                    } else {
                        stack.push(Open {
                            tok: i,
                            mark: c,
                            multi: false,
                        });
                    }
                }
                Mark::Close(c) => {
                    // `”` also closes a straight `"` (mixed marks).
                    let p = close_at(&stack, c).or_else(|| {
                        (c == '”')
                            .then(|| stack.iter().rposition(|o| o.mark == '"'))
                            .flatten()
                    });
                    if let Some(p) = p {
                        close(out, &mut stack, p, last);
                    }
                }
                Mark::CloseSingleOrApostrophe => {
                    if let Some(p) = close_at(&stack, '’') {
                        close(out, &mut stack, p, last);
                    }
                }
                Mark::Either(c) => {
                    let top = stack.last().map(|o| o.mark);
                    // A straight `"` right after a word closes a curly `“`
                    // (mixed marks are common in news copied from the web).
                    let closes_curly = c == '"' && prev_adjacent && matches!(top, Some('“' | '„'));
                    let open_here = top != Some(c) && !closes_curly;
                    if closes_curly {
                        if let Some(p) = stack.iter().rposition(|o| matches!(o.mark, '“' | '„'))
                        {
                            close(out, &mut stack, p, last);
                        }
                    } else if !open_here {
                        if let Some(p) = close_at(&stack, c) {
                            close(out, &mut stack, p, last);
                        }
                    } else if next_adjacent && (!prev_adjacent || c == '"') {
                        stack.push(Open {
                            tok: i,
                            mark: c,
                            multi: false,
                        });
                    }
                }
            }
        }
    }
    while let Some(o) = stack.pop() {
        let depth = stack.len();
        out.push(Quote {
            open_tok: o.tok,
            close_tok: None,
            end_tok: n,
            mark: o.mark,
            unclosed: true,
            multi_paragraph: o.multi,
            depth,
        });
    }
    out.sort_by_key(|q| q.open_tok);
}

fn close(out: &mut Vec<Quote>, stack: &mut Vec<Open>, p: usize, i: usize) {
    // Inner quotes left open are dropped (they were apostrophes or typos).
    stack.truncate(p + 1);
    if let Some(o) = stack.pop() {
        out.push(Quote {
            open_tok: o.tok,
            close_tok: Some(i),
            end_tok: i + 1,
            mark: o.mark,
            unclosed: false,
            multi_paragraph: o.multi,
            depth: p,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tokenize::tokenize;

    fn quoted(t: &str) -> Vec<(String, bool)> {
        let toks = tokenize(t);
        find_quotes(t, &toks)
            .iter()
            .map(|q| {
                let r = q.inner();
                let s = if r.is_empty() {
                    String::new()
                } else {
                    t[toks[r.start].byte_start..toks[r.end - 1].byte_end].to_string()
                };
                (s, q.unclosed)
            })
            .collect()
    }

    #[test]
    fn kinds_of_quotes() {
        assert_eq!(
            quoted("He said “we won.” Then"),
            [("we won.".into(), false)]
        );
        assert_eq!(
            quoted("He said \"we won,\" she"),
            [("we won,".into(), false)]
        );
        assert_eq!(quoted("«Nous» a"), [("Nous".into(), false)]);
        assert_eq!(
            quoted("the States’ policy ‘quote’ x"),
            [("quote".into(), false)]
        );
        assert_eq!(
            quoted("“One. Two.\n\n“Three.” After"),
            [("One. Two.\n\n“Three.".into(), false)]
        );
        assert_eq!(
            quoted("“Open and never\n\nNext"),
            [("Open and never".into(), true)]
        );
    }

    #[test]
    fn an_apostrophe_before_a_number_opens_nothing() {
        assert_eq!(
            quoted("\"I come from the '60s, a long time ago,\" she said."),
            vec![("I come from the '60s, a long time ago,".to_string(), false)]
        );
        assert_eq!(
            quoted("in the ‘90s it was “fine” then"),
            vec![("fine".to_string(), false)]
        );
    }

    #[test]
    fn doubled_apostrophes_and_backticks_are_one_mark() {
        // The inner range keeps the second token of each doubled mark; the
        // rules trim quote marks off the ends of a claim.
        assert_eq!(
            quoted("''We won,'' she said."),
            [("'We won,'".into(), false)]
        );
        assert_eq!(
            quoted("``We won,'' she said."),
            [("`We won,'".into(), false)]
        );
        // A single apostrophe is still an apostrophe.
        assert!(quoted("the voters' choice").is_empty());
    }

    #[test]
    fn mixed_marks_close_each_other() {
        assert_eq!(
            quoted("called it “highly significant.\" Then"),
            [("highly significant.".into(), false)]
        );
        assert_eq!(
            quoted("said \"we won,” and left"),
            [("we won,".into(), false)]
        );
    }

    #[test]
    fn an_unclosed_quote_ends_at_its_line() {
        // Web news breaks lines between paragraphs: an unclosed mark does
        // not swallow the next line.
        assert_eq!(
            quoted("“Open and never\nNext line “closed” here"),
            [("Open and never".into(), true), ("closed".into(), false)]
        );
    }
}
