//! Property tests: whatever text people write, pages and diagrams stay well-formed and
//! show it as text; `data/journeys.json` gives back what was written; the output does
//! not depend on the file system's order or the thread count.
//!
//! Each property runs a modest number of cases (a whole build per case) so the suite
//! stays fast; set `PROPTEST_CASES` to run more.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

// ---------------------------------------------------------------------------------------
// Strings

/// Pieces that have broken renderers before: markup, XML and comment breakouts, template
/// syntax, bidi and zero-width marks, emoji, entities, Markdown, whitespace of every kind.
const HOSTILE: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "</svg>",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</title>",
    "</textarea>",
    "{{ config.title }}",
    "{% if true %}x{% endif %}",
    "{# c #}",
    "\u{202E}",
    "\u{200F}",
    "\u{200D}",
    "\u{200B}",
    "\u{FEFF}",
    "👩‍👩‍👧",
    "🎉",
    "&amp;",
    "&lt;b&gt;",
    "&#x3c;",
    "*em*",
    "`code`",
    "[a](javascript:alert(1))",
    "# h",
    "| a |",
    "\\",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\u{A0}",
    "\u{2028}",
    "javascript:",
    "%3Cscript%3E",
];

/// One piece of a string.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
        3 => "[a-zA-Z0-9]{1,10}",
        1 => any::<char>().prop_map(String::from),
        1 => (1usize..400).prop_map(|n| "w".repeat(n)),
        1 => Just("x".repeat(2000)),
    ]
}

/// Any text a person might put in a field (never blank: blank values are errors or
/// mean "absent", which other tests cover).
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 1..6)
        .prop_map(|p| p.concat())
        .prop_filter("blank", |s| !s.trim().is_empty())
}

fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // Shrinking rebuilds a site per step; a bounded number keeps a failure quick.
        max_shrink_iters: 256,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Sites

/// A content file: `+++` TOML frontmatter (serialized by the `toml` crate, so every
/// string is escaped as TOML wants) and a body.
fn content(front: &toml::Table, body: &str) -> String {
    format!(
        "+++\n{}+++\n{body}\n",
        toml::to_string(front).expect("frontmatter")
    )
}

fn table(pairs: &[(&str, toml::Value)]) -> toml::Table {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

fn s(v: &str) -> toml::Value {
    toml::Value::String(v.to_string())
}

fn list(v: &[&str]) -> toml::Value {
    toml::Value::Array(v.iter().map(|x| s(x)).collect())
}

/// Writes a site into a new temporary folder (outside any git repository).
fn write_site(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("cxmap-prop-")
        .tempdir()
        .expect("a temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Renders a site into memory; `Err` with the diagnostics when it has errors.
fn render(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let outcome = cxmap::render(root).map_err(|e| e.to_string())?;
    if outcome.diagnostics.has_errors() {
        return Err(outcome.diagnostics.render(false));
    }
    Ok(outcome
        .files
        .into_iter()
        .map(|f| {
            let bytes = match f.contents {
                cxmap::write::Contents::Bytes(b) => b,
                cxmap::write::Contents::Copy(p) => std::fs::read(p).unwrap(),
            };
            (f.path, bytes)
        })
        .collect())
}

const CONFIG: &str = "title = \"Properties\"\n";

// ---------------------------------------------------------------------------------------
// Reading the output

/// Whether XML (and so the renderer, for HTML too) keeps this character.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text as a reader sees it: characters XML cannot hold dropped (the renderer drops
/// them), every run of whitespace one space.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| is_xml_char(*c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text with no whitespace at all: a diagram wraps lines anywhere, even inside a word.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| is_xml_char(*c) && !c.is_whitespace())
        .collect()
}

/// An HTML page parsed: its text outside scripts and styles, and how many elements of
/// each name it has (SVG text lines left out: wrapping varies with the text).
struct Page {
    text: String,
    elements: BTreeMap<String, usize>,
    errors: Vec<String>,
}

fn page(html: &str) -> Page {
    let doc = scraper::Html::parse_document(html);
    let mut text = String::new();
    let mut elements = BTreeMap::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            scraper::Node::Element(el) if el.name() != "tspan" => {
                *elements.entry(el.name().to_string()).or_insert(0) += 1;
            }
            scraper::Node::Text(t) => {
                let inside_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style"))
                });
                if !inside_code {
                    text.push_str(t);
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    Page {
        text: normalise(&text),
        elements,
        errors: doc.errors.iter().map(|e| e.to_string()).collect(),
    }
}

/// The SVG elements inlined in an HTML page, as they are in the bytes.
fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed svg") + start + 6;
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// An SVG document's text with all whitespace removed; panics when it is not XML.
fn svg_text(svg: &str, what: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    for n in root.descendants().filter(|n| n.is_element()) {
        assert!(
            matches!(
                n.tag_name().name(),
                "svg"
                    | "title"
                    | "desc"
                    | "g"
                    | "rect"
                    | "text"
                    | "tspan"
                    | "line"
                    | "polyline"
                    | "circle"
                    | "path"
                    | "defs"
                    | "symbol"
                    | "use"
                    | "a"
            ),
            "{what}: unexpected <{}>",
            n.tag_name().name()
        );
    }
    squeeze(
        &root
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>(),
    )
}

// ---------------------------------------------------------------------------------------
// Property 1: any string in any field is text, everywhere

/// One string per user field.
#[derive(Debug, Clone)]
struct Fields {
    title: String,
    summary: String,
    scenario: String,
    stage: String,
    goal: String,
    action: String,
    touchpoint: String,
    thought: String,
    pain: String,
    opportunity: String,
    owner: String,
    status: String,
    source: String,
    quote: String,
    persona_name: String,
    role: String,
    persona_quote: String,
    persona_goal: String,
    tag: String,
    channel: String,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (text(), text(), text(), text(), text(), text(), text()),
        (text(), text(), text(), text(), text(), text(), text()),
        (text(), text(), text(), text(), text(), text()),
    )
        .prop_map(
            |(
                (title, summary, scenario, stage, goal, action, touchpoint),
                (thought, pain, opportunity, owner, status, source, quote),
                (persona_name, role, persona_quote, persona_goal, tag, channel),
            )| Fields {
                title,
                summary,
                scenario,
                stage,
                goal,
                action,
                touchpoint,
                thought,
                pain,
                opportunity,
                owner,
                status,
                source,
                quote,
                persona_name,
                role,
                persona_quote,
                persona_goal,
                tag,
                channel,
            },
        )
}

impl Fields {
    fn placeholder() -> Fields {
        let p = |name: &str| format!("Plain {name}");
        Fields {
            title: p("title"),
            summary: p("summary"),
            scenario: p("scenario"),
            stage: p("stage"),
            goal: p("goal"),
            action: p("action"),
            touchpoint: p("touchpoint"),
            thought: p("thought"),
            pain: p("pain"),
            opportunity: p("opportunity"),
            owner: p("owner"),
            status: p("status"),
            source: p("source"),
            quote: p("quote"),
            persona_name: p("persona"),
            role: p("role"),
            persona_quote: p("persona quote"),
            persona_goal: p("persona goal"),
            tag: p("tag"),
            channel: p("channel"),
        }
    }

    fn site(&self) -> Vec<(String, String)> {
        let step = table(&[
            ("action", s(&self.action)),
            ("touchpoint", s(&self.touchpoint)),
            ("channel", s(&self.channel)),
            ("emotion", toml::Value::Integer(2)),
            ("thought", s(&self.thought)),
            ("pains", list(&[&self.pain])),
            (
                "opportunities",
                toml::Value::Array(vec![toml::Value::Table(table(&[
                    ("text", s(&self.opportunity)),
                    ("owner", s(&self.owner)),
                    ("status", s(&self.status)),
                    ("priority", s("high")),
                ]))]),
            ),
            (
                "evidence",
                toml::Value::Array(vec![toml::Value::Table(table(&[
                    ("source", s(&self.source)),
                    ("quote", s(&self.quote)),
                ]))]),
            ),
        ]);
        let stage = table(&[
            ("name", s(&self.stage)),
            ("goal", s(&self.goal)),
            ("steps", toml::Value::Array(vec![toml::Value::Table(step)])),
        ]);
        let journey = table(&[
            ("title", s(&self.title)),
            ("persona", s("p")),
            ("summary", s(&self.summary)),
            ("scenario", s(&self.scenario)),
            ("tags", list(&[&self.tag])),
            (
                "stages",
                toml::Value::Array(vec![toml::Value::Table(stage)]),
            ),
        ]);
        let persona = table(&[
            ("name", s(&self.persona_name)),
            ("role", s(&self.role)),
            ("quote", s(&self.persona_quote)),
            ("goals", list(&[&self.persona_goal])),
        ]);
        vec![
            ("cxmap.toml".into(), CONFIG.into()),
            ("journeys/j.md".into(), content(&journey, "Narrative.")),
            ("personas/p.md".into(), content(&persona, "Background.")),
        ]
    }

    /// Each field with the page that must show it.
    fn expectations(&self) -> Vec<(&'static str, &str, &'static str)> {
        const J: &str = "journeys/j/index.html";
        const P: &str = "personas/p/index.html";
        const O: &str = "opportunities/index.html";
        vec![
            ("title", &self.title, J),
            ("summary", &self.summary, J),
            ("scenario", &self.scenario, J),
            ("stage name", &self.stage, J),
            ("goal", &self.goal, J),
            ("action", &self.action, J),
            ("touchpoint", &self.touchpoint, J),
            ("thought", &self.thought, J),
            ("pain", &self.pain, J),
            ("opportunity", &self.opportunity, J),
            ("opportunity owner", &self.owner, O),
            ("opportunity status", &self.status, O),
            ("evidence source", &self.source, J),
            ("evidence quote", &self.quote, J),
            ("tag", &self.tag, J),
            ("channel", &self.channel, J),
            ("persona name", &self.persona_name, P),
            ("persona role", &self.role, P),
            ("persona quote", &self.persona_quote, P),
            ("persona goal", &self.persona_goal, P),
        ]
    }

    /// The fields the journey map draws.
    fn on_map(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("stage name", &self.stage),
            ("goal", &self.goal),
            ("action", &self.action),
            ("touchpoint", &self.touchpoint),
            ("thought", &self.thought),
            ("pain", &self.pain),
            ("opportunity", &self.opportunity),
            ("opportunity owner", &self.owner),
            ("channel", &self.channel),
        ]
    }
}

/// The pages whose structure must not depend on the text in them.
const STRUCTURE: &[&str] = &[
    "journeys/j/index.html",
    "personas/p/index.html",
    "opportunities/index.html",
    "pains/index.html",
    "journeys/index.html",
    "index.html",
];

fn check_fields(f: &Fields, baseline: &BTreeMap<String, Page>) -> Result<(), TestCaseError> {
    let dir = write_site(&f.site());
    let files = render(dir.path()).map_err(TestCaseError::fail)?;
    let html = |path: &str| -> Result<String, TestCaseError> {
        let bytes = files
            .get(path)
            .ok_or_else(|| TestCaseError::fail(format!("no {path}")))?;
        Ok(String::from_utf8(bytes.clone()).expect("utf-8"))
    };
    let mut pages = BTreeMap::new();
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        pages.insert(path.clone(), page(&html(path)?));
    }
    for (path, expected) in baseline {
        let got = &pages[path];
        prop_assert_eq!(
            &got.elements,
            &expected.elements,
            "{}: the elements changed with the text",
            path
        );
        prop_assert!(
            got.errors.len() <= expected.errors.len(),
            "{}: new parse errors {:?}",
            path,
            got.errors
        );
    }
    for (name, value, path) in f.expectations() {
        let want = normalise(value);
        prop_assert!(
            pages[path].text.contains(&want),
            "{} {:?} is not shown as text on {}:\n{}",
            name,
            want,
            path,
            pages[path].text
        );
    }
    let page_svgs: Vec<String> = inline_svgs(&html("journeys/j/index.html")?)
        .into_iter()
        .map(str::to_string)
        .collect();
    let map = html("journeys/j/map.svg")?;
    prop_assert!(!page_svgs.is_empty(), "no inline diagram");
    let mut svgs = vec![("map.svg".to_string(), map)];
    svgs.extend(
        page_svgs
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("inline svg {i}"), s)),
    );
    let map_text = svg_text(&svgs[0].1, "map.svg");
    for (what, svg) in &svgs[1..] {
        svg_text(svg, what);
    }
    for (name, value) in f.on_map() {
        let want = squeeze(value);
        prop_assert!(
            map_text.contains(&want),
            "{} {:?} is not drawn on the map:\n{}",
            name,
            want,
            map_text
        );
    }
    // The map drawn on the page is the map file.
    prop_assert!(
        svgs[1..]
            .iter()
            .any(|(_, s)| squeeze(s) == squeeze(&svgs[0].1) || svg_text(s, "inline") == map_text),
        "the page does not inline the map"
    );
    Ok(())
}

#[test]
fn any_text_in_any_field_is_shown_as_text() {
    let plain = Fields::placeholder();
    let dir = write_site(&plain.site());
    let files = render(dir.path()).expect("the plain site builds");
    let baseline: BTreeMap<String, Page> = STRUCTURE
        .iter()
        .map(|p| {
            let html = String::from_utf8(files[*p].clone()).unwrap();
            ((*p).to_string(), page(&html))
        })
        .collect();
    check_fields(&plain, &baseline).unwrap();
    TestRunner::new(cases(64))
        .run(&fields(), |f| check_fields(&f, &baseline))
        .unwrap();
}

/// Found by the property above: a NUL (or another control character) pasted into a
/// field reached the journey page as it was, where an HTML parser reports it (and the
/// map already dropped it). Pages now drop the characters XML forbids, as diagrams do.
#[test]
fn a_control_character_in_a_field_never_reaches_a_page() {
    let plain = Fields::placeholder();
    let dir = write_site(&plain.site());
    let files = render(dir.path()).unwrap();
    let baseline: BTreeMap<String, Page> = STRUCTURE
        .iter()
        .map(|p| {
            let html = String::from_utf8(files[*p].clone()).unwrap();
            ((*p).to_string(), page(&html))
        })
        .collect();
    let hostile = Fields {
        owner: "\0".into(),
        status: "in\u{1}progress\u{1b}[31m".into(),
        title: "Bell\u{7}\u{c}title\u{FFFE}".into(),
        ..Fields::placeholder()
    };
    check_fields(&hostile, &baseline).unwrap();
    let dir = write_site(&hostile.site());
    for (path, bytes) in render(dir.path()).unwrap() {
        if path.ends_with(".html") || path.ends_with(".svg") || path.ends_with(".xml") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                !text.contains(['\0', '\u{1}', '\u{7}', '\u{1b}', '\u{c}', '\u{FFFE}']),
                "{path} has a control character"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Property 2: a journey round-trips through data/journeys.json

#[derive(Debug, Clone)]
struct JPain {
    text: String,
    severity: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct JOpportunity {
    text: String,
    owner: Option<String>,
    priority: Option<&'static str>,
    status: Option<String>,
}

#[derive(Debug, Clone)]
struct JEvidence {
    source: Option<String>,
    quote: Option<String>,
}

#[derive(Debug, Clone)]
struct JStep {
    action: String,
    touchpoint: Option<String>,
    channel: Option<String>,
    emotion: Option<u8>,
    thought: Option<String>,
    pains: Vec<JPain>,
    opportunities: Vec<JOpportunity>,
    backstage: Vec<String>,
    moment_of_truth: bool,
    evidence: Vec<JEvidence>,
}

#[derive(Debug, Clone)]
struct JMetric {
    name: String,
    value: Option<String>,
    target: Option<String>,
}

#[derive(Debug, Clone)]
struct JStage {
    name: String,
    goal: Option<String>,
    phase: Option<String>,
    dropoff: Option<f64>,
    metrics: Vec<JMetric>,
    steps: Vec<JStep>,
}

#[derive(Debug, Clone)]
struct JJourney {
    title: String,
    summary: Option<String>,
    scenario: Option<String>,
    state: &'static str,
    owner: Option<String>,
    status: Option<String>,
    tags: Vec<String>,
    stages: Vec<JStage>,
}

fn few<T: std::fmt::Debug>(
    s: impl Strategy<Value = T>,
    max: usize,
) -> impl Strategy<Value = Vec<T>> {
    proptest::collection::vec(s, 0..=max)
}

fn step() -> impl Strategy<Value = JStep> {
    let pain = (
        text(),
        proptest::option::of(proptest::sample::select(
            &["low", "medium", "high", "critical"][..],
        )),
    )
        .prop_map(|(text, severity)| JPain { text, severity });
    let opportunity = (
        text(),
        proptest::option::of(text()),
        proptest::option::of(proptest::sample::select(&["low", "medium", "high"][..])),
        proptest::option::of(text()),
    )
        .prop_map(|(text, owner, priority, status)| JOpportunity {
            text,
            owner,
            priority,
            status,
        });
    let evidence = (proptest::option::of(text()), proptest::option::of(text()))
        .prop_filter("evidence needs a source or a quote", |(s, q)| {
            s.is_some() || q.is_some()
        })
        .prop_map(|(source, quote)| JEvidence { source, quote });
    (
        (
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(1u8..=5),
            proptest::option::of(text()),
        ),
        (
            few(pain, 2),
            few(opportunity, 2),
            few(text(), 2),
            any::<bool>(),
            few(evidence, 2),
        ),
    )
        .prop_map(
            |(
                (action, touchpoint, channel, emotion, thought),
                (pains, opportunities, backstage, moment_of_truth, evidence),
            )| JStep {
                action,
                touchpoint,
                channel,
                emotion,
                thought,
                pains,
                opportunities,
                backstage,
                moment_of_truth,
                evidence,
            },
        )
}

fn stage() -> impl Strategy<Value = JStage> {
    let metric = (
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(name, value, target)| JMetric {
            name,
            value,
            target,
        });
    (
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(0.0f64..=1.0),
        few(metric, 2),
        proptest::collection::vec(step(), 1..=3),
    )
        .prop_map(|(name, goal, phase, dropoff, metrics, steps)| JStage {
            name,
            goal,
            phase,
            dropoff,
            metrics,
            steps,
        })
}

fn journey() -> impl Strategy<Value = JJourney> {
    (
        (
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::sample::select(&["current", "future", "research"][..]),
        ),
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            few(text(), 3),
            proptest::collection::vec(stage(), 0..=3),
        ),
    )
        .prop_map(
            |((title, summary, scenario, state), (owner, status, tags, mut stages))| {
                // Two stages whose names give the same id are an error (tested
                // elsewhere); a prefix keeps the ids apart.
                for (i, s) in stages.iter_mut().enumerate() {
                    s.name = format!("s{i} {}", s.name);
                }
                JJourney {
                    title,
                    summary,
                    scenario,
                    state,
                    owner,
                    status,
                    tags,
                    stages,
                }
            },
        )
}

/// A table from the pairs whose value is present.
fn some(pairs: Vec<(&str, Option<toml::Value>)>) -> toml::Value {
    toml::Value::Table(
        pairs
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

fn os(v: &Option<String>) -> Option<toml::Value> {
    v.as_deref().map(s)
}

fn strings(v: &[String]) -> Option<toml::Value> {
    (!v.is_empty()).then(|| toml::Value::Array(v.iter().map(|x| s(x)).collect()))
}

fn array(v: Vec<toml::Value>) -> Option<toml::Value> {
    (!v.is_empty()).then_some(toml::Value::Array(v))
}

impl JJourney {
    fn frontmatter(&self) -> toml::Table {
        let step = |st: &JStep| {
            some(vec![
                ("action", Some(s(&st.action))),
                ("touchpoint", os(&st.touchpoint)),
                ("channel", os(&st.channel)),
                (
                    "emotion",
                    st.emotion.map(|e| toml::Value::Integer(e.into())),
                ),
                ("thought", os(&st.thought)),
                (
                    "pains",
                    array(
                        st.pains
                            .iter()
                            .map(|p| match p.severity {
                                // Both forms: a plain string, and a table.
                                None => s(&p.text),
                                Some(sev) => some(vec![
                                    ("text", Some(s(&p.text))),
                                    ("severity", Some(s(sev))),
                                ]),
                            })
                            .collect(),
                    ),
                ),
                (
                    "opportunities",
                    array(
                        st.opportunities
                            .iter()
                            .map(|o| {
                                some(vec![
                                    ("text", Some(s(&o.text))),
                                    ("owner", os(&o.owner)),
                                    ("priority", o.priority.map(s)),
                                    ("status", os(&o.status)),
                                ])
                            })
                            .collect(),
                    ),
                ),
                ("backstage", strings(&st.backstage)),
                (
                    "moment_of_truth",
                    st.moment_of_truth.then_some(toml::Value::Boolean(true)),
                ),
                (
                    "evidence",
                    array(
                        st.evidence
                            .iter()
                            .map(|e| some(vec![("source", os(&e.source)), ("quote", os(&e.quote))]))
                            .collect(),
                    ),
                ),
            ])
        };
        let stage = |sg: &JStage| {
            some(vec![
                ("name", Some(s(&sg.name))),
                ("goal", os(&sg.goal)),
                ("phase", os(&sg.phase)),
                ("dropoff", sg.dropoff.map(toml::Value::Float)),
                (
                    "metrics",
                    array(
                        sg.metrics
                            .iter()
                            .map(|m| {
                                some(vec![
                                    ("name", Some(s(&m.name))),
                                    ("value", os(&m.value)),
                                    ("target", os(&m.target)),
                                ])
                            })
                            .collect(),
                    ),
                ),
                ("steps", array(sg.steps.iter().map(step).collect())),
            ])
        };
        match some(vec![
            ("title", Some(s(&self.title))),
            ("summary", os(&self.summary)),
            ("scenario", os(&self.scenario)),
            ("state", Some(s(self.state))),
            ("owner", os(&self.owner)),
            ("status", os(&self.status)),
            ("tags", strings(&self.tags)),
            ("stages", array(self.stages.iter().map(stage).collect())),
        ]) {
            toml::Value::Table(t) => t,
            _ => unreachable!(),
        }
    }
}

/// Compares a JSON value with what was written, naming the field on a mismatch.
fn same(at: &str, got: &serde_json::Value, want: serde_json::Value) -> Result<(), TestCaseError> {
    prop_assert_eq!(got, &want, "{} differs", at);
    Ok(())
}

fn opt(v: &Option<String>) -> serde_json::Value {
    v.as_deref().map_or(serde_json::Value::Null, Into::into)
}

fn check_round_trip(j: &JJourney) -> Result<(), TestCaseError> {
    use serde_json::{Value, json};
    let dir = write_site(&[
        ("cxmap.toml".to_string(), CONFIG.to_string()),
        (
            "journeys/j.md".to_string(),
            content(&j.frontmatter(), "Narrative."),
        ),
    ]);
    let files = render(dir.path()).map_err(TestCaseError::fail)?;
    let data: Value = serde_json::from_slice(&files["data/journeys.json"])
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let got = &data["journeys"][0];
    let text = std::str::from_utf8(&files["data/journeys.json"]).unwrap();
    let dropoffs: Vec<Option<f64>> = text
        .split("\"dropoff\":")
        .skip(1)
        .map(|rest| {
            let end = rest.find([',', '\n', '}']).unwrap_or(rest.len());
            rest[..end].trim().parse().ok()
        })
        .collect();
    same("title", &got["title"], json!(j.title))?;
    same("summary", &got["summary"], opt(&j.summary))?;
    same("scenario", &got["scenario"], opt(&j.scenario))?;
    same("state", &got["state"], json!(j.state))?;
    same("owner", &got["owner"], opt(&j.owner))?;
    same("status", &got["status"], opt(&j.status))?;
    same("tags", &got["tags"], json!(j.tags))?;
    let stages = got["stages"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail("no stages"))?;
    prop_assert_eq!(stages.len(), j.stages.len());
    for (i, (g, w)) in stages.iter().zip(&j.stages).enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        same(&at("name"), &g["name"], json!(w.name))?;
        same(&at("goal"), &g["goal"], opt(&w.goal))?;
        same(&at("phase"), &g["phase"], opt(&w.phase))?;
        // serde_json reads floats to within a unit in the last place; Rust's own parser
        // is exact, so the written number is read from the text.
        prop_assert_eq!(
            dropoffs.get(i).copied().flatten(),
            w.dropoff,
            "{} differs",
            at("dropoff")
        );
        let metrics: Vec<Value> = w
            .metrics
            .iter()
            .map(|m| json!({"name": m.name, "value": opt(&m.value), "target": opt(&m.target)}))
            .collect();
        same(&at("metrics"), &g["metrics"], json!(metrics))?;
        let steps = g["steps"]
            .as_array()
            .ok_or_else(|| TestCaseError::fail("no steps"))?;
        prop_assert_eq!(steps.len(), w.steps.len());
        for (k, (g, w)) in steps.iter().zip(&w.steps).enumerate() {
            let at = |f: &str| format!("stages[{i}].steps[{k}].{f}");
            same(&at("action"), &g["action"], json!(w.action))?;
            same(&at("touchpoint"), &g["touchpoint"], opt(&w.touchpoint))?;
            same(&at("channel"), &g["channel"], opt(&w.channel))?;
            // No channel registry: the label is the channel as written.
            same(&at("channel_label"), &g["channel_label"], opt(&w.channel))?;
            same(&at("emotion"), &g["emotion"], json!(w.emotion))?;
            same(&at("thought"), &g["thought"], opt(&w.thought))?;
            let pains: Vec<Value> = w
                .pains
                .iter()
                .map(|p| json!({"text": p.text, "severity": p.severity}))
                .collect();
            same(&at("pains"), &g["pains"], json!(pains))?;
            let opportunities: Vec<Value> = w
                .opportunities
                .iter()
                .map(|o| {
                    json!({"text": o.text, "owner": opt(&o.owner), "priority": o.priority,
                           "status": opt(&o.status)})
                })
                .collect();
            same(
                &at("opportunities"),
                &g["opportunities"],
                json!(opportunities),
            )?;
            same(&at("backstage"), &g["backstage"], json!(w.backstage))?;
            same(
                &at("moment_of_truth"),
                &g["moment_of_truth"],
                json!(w.moment_of_truth),
            )?;
            let evidence: Vec<Value> = w
                .evidence
                .iter()
                .map(|e| json!({"source": opt(&e.source), "quote": opt(&e.quote), "link": null}))
                .collect();
            same(&at("evidence"), &g["evidence"], json!(evidence))?;
        }
    }
    Ok(())
}

#[test]
fn any_journey_round_trips_through_its_data() {
    TestRunner::new(cases(64))
        .run(&journey(), |j| check_round_trip(&j))
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// Property 3: the same bytes whatever the file system's order or the thread count

/// File names people give maps: letters of several scripts, digits, spaces, dashes,
/// capitals (names that fold to one slug are a diagnostic, which must not vary either).
fn file_name() -> impl Strategy<Value = String> {
    const FOLDING: &[&str] = &[
        "Order", "order", "ORDER", "Órder", "or der", "or-der", "or_der",
    ];
    prop_oneof![
        1 => proptest::sample::select(FOLDING).prop_map(str::to_string),
        3 => "[a-zA-Z0-9 _ñÉü日本ğ-]{1,12}".prop_filter("a name", |n| {
            let t = n.trim();
            !t.is_empty() && !t.starts_with('.') && !t.starts_with('-')
        }),
    ]
}

/// A small journey naming tags and channels from a shared pool, so the pages that
/// gather every journey (tags, channels, pains, search) see them in some order.
fn small_journey() -> impl Strategy<Value = toml::Table> {
    const POOL: &[&str] = &["web", "store", "phone", "<b>", "Web "];
    (
        text(),
        proptest::collection::vec(proptest::sample::select(POOL), 0..3),
        proptest::collection::vec(
            (
                text(),
                proptest::sample::select(POOL),
                1i64..=5,
                text(),
                text(),
            ),
            1..4,
        ),
    )
        .prop_map(|(title, tags, steps)| {
            let steps: Vec<toml::Value> = steps
                .into_iter()
                .map(|(action, channel, emotion, pain, opportunity)| {
                    toml::Value::Table(table(&[
                        ("action", s(&action)),
                        ("channel", s(channel)),
                        ("emotion", toml::Value::Integer(emotion)),
                        ("pains", list(&[&pain])),
                        ("opportunities", list(&[&opportunity])),
                    ]))
                })
                .collect();
            table(&[
                ("title", s(&title)),
                ("tags", list(&tags)),
                (
                    "stages",
                    toml::Value::Array(vec![toml::Value::Table(table(&[
                        ("name", s("Only")),
                        ("steps", toml::Value::Array(steps)),
                    ]))]),
                ),
            ])
        })
}

/// What a build gives: every output file, or the diagnostics when it has errors.
fn outcome(root: &Path, threads: usize) -> Result<BTreeMap<String, Vec<u8>>, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| render(root))
}

fn check_order(files: &[(String, String)], order: &[usize]) -> Result<(), TestCaseError> {
    let make = |order: &mut dyn Iterator<Item = usize>| {
        let dir = tempfile::Builder::new()
            .prefix("cxmap-prop-")
            .tempdir()
            .unwrap();
        std::fs::write(dir.path().join("cxmap.toml"), CONFIG).unwrap();
        for i in order {
            let (path, text) = &files[i];
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    };
    let a = make(&mut (0..files.len()));
    let b = make(&mut order.iter().copied());
    let one = outcome(a.path(), 1);
    let three = outcome(b.path(), 3);
    match (&one, &three) {
        (Ok(x), Ok(y)) => {
            prop_assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "different files"
            );
            for (path, bytes) in x {
                prop_assert!(bytes == &y[path], "{} differs", path);
            }
        }
        (Err(x), Err(y)) => prop_assert_eq!(x, y, "different diagnostics"),
        _ => prop_assert!(
            false,
            "one build failed: {:?} / {:?}",
            one.err(),
            three.err()
        ),
    }
    Ok(())
}

#[test]
fn same_bytes_whatever_the_file_order_or_thread_count() {
    let site = proptest::collection::vec(
        (
            proptest::sample::select(&["journeys", "journeys/sub", "pages"][..]),
            file_name(),
            small_journey(),
        ),
        1..6,
    )
    .prop_flat_map(|files| {
        let mut seen = std::collections::BTreeSet::new();
        let files: Vec<(String, String)> = files
            .into_iter()
            // One file per path (names that differ only in case are different files).
            .filter(|(folder, name, _)| seen.insert(format!("{folder}/{name}")))
            .map(|(folder, name, mut front)| {
                if folder == "pages" {
                    // A free page has a title and a body, nothing of a journey's.
                    front.retain(|k, _| k == "title");
                }
                (format!("{folder}/{name}.md"), content(&front, "Body."))
            })
            .collect();
        let n = files.len();
        (
            Just(files),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        )
    });
    TestRunner::new(cases(32))
        .run(&site, |(files, order)| check_order(&files, &order))
        .unwrap();
}
