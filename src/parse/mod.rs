//! Parsing: frontmatter split, the spanned value tree, typed field reading, Markdown,
//! Mermaid journey diagrams.

pub mod fields;
pub mod frontmatter;
pub mod markdown;
pub mod mermaid;
pub mod node;
