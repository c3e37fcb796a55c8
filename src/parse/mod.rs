//! Parsing: frontmatter split, the spanned value tree, typed field reading, Markdown.

pub mod fields;
pub mod frontmatter;
pub mod markdown;
pub mod node;
