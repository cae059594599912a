//! Offsets in UTF-16 code units (Java, JavaScript, UIMA XMI) and in code
//! points (Sayso) over one text, converted both ways.
//!
//! The two differ only after characters outside the Basic Multilingual
//! Plane (emoji, some CJK), which take two UTF-16 units: the map keeps the
//! code point index of each of those, so it is small for ordinary text and
//! each conversion is a binary search.

/// The astral characters of one text, by code point index.
#[derive(Debug, Clone, Default)]
pub struct Utf16Map {
    /// Code point index of every character that takes two UTF-16 units.
    astral: Vec<usize>,
    /// Length of the text in code points.
    chars: usize,
}

impl Utf16Map {
    pub fn new(text: &str) -> Self {
        let mut astral = Vec::new();
        let mut chars = 0;
        for (i, c) in text.chars().enumerate() {
            if c.len_utf16() == 2 {
                astral.push(i);
            }
            chars = i + 1;
        }
        Utf16Map { astral, chars }
    }

    /// Whether code points and UTF-16 units agree everywhere in the text.
    pub fn is_identity(&self) -> bool {
        self.astral.is_empty()
    }

    /// The UTF-16 offset of code point offset `cp` (`cp` may be the end).
    pub fn to_utf16(&self, cp: usize) -> usize {
        cp + self.astral.partition_point(|&a| a < cp)
    }

    /// The code point offset of UTF-16 offset `unit`, or `None` when it
    /// falls between the two halves of a character or past the end.
    pub fn from_utf16(&self, unit: usize) -> Option<usize> {
        // Astral characters that start before `unit` (in UTF-16 units).
        // (`astral[i] + i` grows with `i`, so a binary search finds it.)
        let (mut lo, mut hi) = (0, self.astral.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.astral[mid] + mid < unit {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let k = lo;
        if k > 0 {
            let start = self.astral[k - 1] + (k - 1);
            if unit == start + 1 {
                return None;
            }
        }
        let cp = unit - k;
        (cp <= self.chars).then_some(cp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_around_emoji() {
        let text = "a😀b👩‍👩‍👧c";
        let map = Utf16Map::new(text);
        let units: Vec<u16> = text.encode_utf16().collect();
        let n = text.chars().count();
        for cp in 0..=n {
            let u = map.to_utf16(cp);
            let prefix: String = text.chars().take(cp).collect();
            assert_eq!(u, prefix.encode_utf16().count());
            assert_eq!(map.from_utf16(u), Some(cp));
        }
        // The second half of 😀 (units 1..3) is no character boundary.
        assert_eq!(map.from_utf16(2), None);
        assert_eq!(map.from_utf16(units.len() + 1), None);
        assert!(!map.is_identity());
        assert!(Utf16Map::new("plain, 東京").is_identity());
    }
}
