//! The TOML and YAML value readers alone (`parse::node::from_toml`, `from_yaml`), from
//! any text: no panic, spans inside the text, and a bounded tree. Run with a tight
//! memory limit (`scripts/fuzz-short`), so that an alias bomb or a deep nesting that
//! grows memory is a finding, not a slow run.
#![no_main]

use cxmap::parse::node::{self, Kind, Node};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = cxmap_fuzz::text(data) else {
        return;
    };
    // An offset, as frontmatter after its opening fence has.
    let offset = 4;
    for (root, errors) in [node::from_toml(text, offset), node::from_yaml(text, offset)] {
        for e in &errors {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len() + offset,
                "{e:?}"
            );
        }
        let (values, depth) = measure(&root, 0);
        assert!(depth <= node::MAX_DEPTH + 1, "nested {depth} levels");
        assert!(
            values <= node::MAX_YAML_VALUES + 2 * text.len() + 1,
            "{values} values from {} bytes",
            text.len()
        );
    }
});

/// Values in the tree and its depth, without recursing past what the readers allow.
fn measure(node: &Node, depth: usize) -> (usize, usize) {
    let children: Vec<&Node> = match &node.kind {
        Kind::Array(items) => items.iter().collect(),
        Kind::Table(entries) => entries.iter().map(|e| &e.value).collect(),
        _ => return (1, depth),
    };
    children.iter().fold((1, depth + 1), |(n, d), child| {
        let (cn, cd) = measure(child, depth + 1);
        (n + cn, d.max(cd))
    })
}
