//! Mermaid's user-journey diagrams (`journey`), in one place for callers: the parser
//! ([`crate::parse::mermaid`]: text → [`MermaidJourney`] and [`Problem`]s with spans), the
//! journey a diagram describes and its drawing ([`crate::diagram::mermaid`]), and
//! `cxmap import mermaid` ([`import`]), which writes a journey file and proto-personas.
//!
//! Parsing sits below the model and draws nothing, so reading a Markdown body with a
//! ```` ```journey ```` fence in it never needs the diagrams; drawing sits above it.

pub mod import;

pub use crate::diagram::mermaid::{Block, render_block, to_journey};
pub use crate::parse::mermaid::{
    Header, MermaidJourney, Parsed, Problem, Section, Task, parse, parse_fence,
};
