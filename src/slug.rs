//! Slugs: the URL-safe names pages get from their file names.
//!
//! A slug segment holds only `a-z`, `0-9` and `-`, so a slug can never leave the output
//! folder, whatever the file was called (`María.md` → `maria`, `../x` → `x`). A segment
//! that names a file or folder of the output ([`segment`]) is also never longer than
//! [`MAX_SEGMENT`] bytes, so a 300-character tag or channel cannot make a file name the
//! system refuses.

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

/// The longest slug segment that names a file or folder of the output, in bytes. File
/// systems refuse names over 255 bytes; a slug far shorter than that still reads well
/// in an address.
pub const MAX_SEGMENT: usize = 100;

/// A slug for a file or folder name: [`slugify`], cut to at most [`MAX_SEGMENT`] bytes
/// when longer. A cut slug ends in `-` and eight hex digits of a hash of the whole slug,
/// so two long names that differ only at their end still get different pages, and the
/// same name gets the same page on every build.
pub fn segment(text: &str) -> String {
    cap(slugify(text))
}

/// Cuts a slug to [`MAX_SEGMENT`] bytes, as [`segment`] does.
fn cap(slug: String) -> String {
    if slug.len() <= MAX_SEGMENT {
        return slug;
    }
    // FNV-1a: stable across builds, machines and Rust versions.
    let hash = slug.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    // The slug is ASCII, so any byte index is a character boundary.
    let keep = slug[..MAX_SEGMENT - 9].trim_end_matches('-');
    format!("{keep}-{hash:08x}")
}

/// Slugifies a relative path (`retail/Online Order` → `retail/online-order`); `None` when
/// a segment has nothing left.
pub fn slugify_path(path: &str) -> Option<String> {
    let parts: Vec<String> = path
        .split('/')
        .filter(|p| !p.is_empty())
        .map(segment)
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

    #[test]
    fn a_backslash_in_a_file_name_is_not_a_folder() {
        // On Linux and macOS `a\b.md` is one file; it must not become `a/b`.
        assert_eq!(
            slugify_path("retail\\returns"),
            Some("retail-returns".into())
        );
    }

    #[test]
    fn long_names_are_cut_to_a_file_name_the_system_accepts() {
        let long = "Contact centre ".repeat(20);
        let s = segment(&long);
        assert!(s.len() <= MAX_SEGMENT, "{} bytes", s.len());
        assert!(s.starts_with("contact-centre-contact-centre"), "{s}");
        assert_eq!(s, segment(&long), "the same name gives the same slug");
        let other = format!("{long} two");
        assert_ne!(
            s,
            segment(&other),
            "names that differ at the end stay apart"
        );
        assert_eq!(segment("Web"), "web");
        assert_eq!(segment(&"a".repeat(MAX_SEGMENT)).len(), MAX_SEGMENT);
        assert!(slugify_path(&format!("retail/{long}")).is_some_and(|p| p.len() < 120));
    }
}
