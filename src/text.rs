//! Small operations on words that several stages share.

/// `text` with its first letter in upper case (statements and labels start in lower
/// case in the content and the strings files).
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// A count with its noun: `1 journey`, `2 journeys` (English only: the terminal speaks
/// English).
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(capitalise(""), "");
        assert_eq!(capitalise("émotion high"), "Émotion high");
        assert_eq!(capitalise("ß"), "SS");
    }

    #[test]
    fn plural_counts() {
        assert_eq!(plural(1, "map"), "1 map");
        assert_eq!(plural(0, "map"), "0 maps");
    }
}
