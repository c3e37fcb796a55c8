//! Slugs: the URL-safe names pages get from their file names.
//!
//! A slug segment holds only `a-z`, `0-9` and `-`, so a slug can never leave the output
//! folder, whatever the file was called (`María.md` → `maria`, `../x` → `x`).

/// Slugifies one path segment or heading: ASCII-folded, lower-case, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Slugifies a relative path (`retail/Online Order` → `retail/online-order`); `None` when
/// a segment has nothing left.
pub fn slugify_path(path: &str) -> Option<String> {
    let parts: Vec<String> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .map(slugify)
        .collect();
    if parts.is_empty() || parts.iter().any(String::is_empty) {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_lowercases() {
        assert_eq!(slugify("Café Olé"), "cafe-ole");
        assert_eq!(slugify("María"), "maria");
        assert_eq!(slugify("  Online -- Order!  "), "online-order");
        assert_eq!(slugify("日本"), "ri-ben");
    }

    #[test]
    fn paths_cannot_escape() {
        assert_eq!(
            slugify_path("retail/Online Order"),
            Some("retail/online-order".into())
        );
        assert_eq!(slugify_path("../../etc/passwd"), None);
        assert_eq!(slugify_path("a/../b"), None);
        assert_eq!(slugify_path("!!!"), None);
    }
}
