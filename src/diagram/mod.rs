//! Diagrams: content → [`Diagram`] (a typed layout in user units) → SVG text.
//!
//! Every layout is pure: the same input gives the same shapes, and [`svg::write`] turns
//! shapes into bytes with fixed precision. Text is measured with the bundled font
//! ([`font`]) and wrapped; boxes grow to fit and nothing is clipped. Shapes carry
//! default colours as presentation attributes (so a lone `map.svg` or a poster renders
//! without CSS) and `cx-*` classes through which a theme restyles them.
//!
//! | diagram | from | where |
//! |---|---|---|
//! | [`journey`] | a journey | journey pages, `map.svg`, posters, Mermaid blocks |
//! | [`funnel()`] | stages' `dropoff` | journey pages |
//! | [`strip()`] | a journey | journey cards on index pages |
//! | [`empathy()`] | a persona | persona pages |
//! | [`heatmap()`] | all journeys | the channels view |
//! | [`evolution()`] | a journey now and at earlier revisions | journey history |

pub mod compare;
pub mod empathy;
pub mod evolution;
pub mod font;
pub mod funnel;
pub mod heatmap;
pub mod map;
pub mod mermaid;
pub mod poster;
pub mod raster;
pub mod strip;
pub mod svg;

pub use compare::compare;
pub use empathy::empathy;
pub use evolution::evolution;
pub use funnel::funnel;
pub use heatmap::heatmap;
pub use map::journey;
pub use strip::strip;

use font::Weight;

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// Total width.
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// Short accessible name.
    pub title: String,
    /// Longer accessible description.
    pub desc: String,
    /// Prefix for every id in the SVG, unique per diagram.
    pub id_prefix: String,
    /// Extra class on the `<svg>` element (`cx-map`, `cx-funnel`, …).
    pub class: &'static str,
    /// What to draw, back to front.
    pub shapes: Vec<Shape>,
}

/// Text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned at x.
    Start,
    /// Centred on x.
    Middle,
    /// Right-aligned at x.
    End,
}

/// A drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A rectangle.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Corner radius.
        rx: f32,
        /// CSS class for themes.
        class: &'static str,
        /// Default fill.
        fill: String,
        /// Default stroke.
        stroke: Option<String>,
    },
    /// Lines of text, top-down.
    Text {
        /// Anchor x.
        x: f32,
        /// Baseline of the first line.
        y: f32,
        /// The lines.
        lines: Vec<String>,
        /// Font size.
        size: f32,
        /// Weight.
        weight: Weight,
        /// Alignment.
        anchor: Anchor,
        /// CSS class.
        class: &'static str,
        /// Default fill.
        fill: String,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// CSS class.
        class: &'static str,
        /// Default stroke.
        stroke: String,
        /// Dashed.
        dashed: bool,
    },
    /// A polyline through points.
    Polyline {
        /// The points.
        points: Vec<(f32, f32)>,
        /// CSS class.
        class: &'static str,
        /// Default stroke.
        stroke: String,
    },
    /// A line through points with its own width and dash pattern: one series among
    /// several that must differ by more than their colour.
    Series {
        /// The points.
        points: Vec<(f32, f32)>,
        /// CSS class.
        class: &'static str,
        /// Default stroke.
        stroke: String,
        /// Stroke width.
        width: f32,
        /// `stroke-dasharray`, `None` for a solid line.
        dash: Option<&'static str>,
    },
    /// A circle.
    Circle {
        /// Centre x.
        cx: f32,
        /// Centre y.
        cy: f32,
        /// Radius.
        r: f32,
        /// CSS class.
        class: &'static str,
        /// Default fill.
        fill: String,
        /// Default stroke.
        stroke: String,
    },
    /// Circles of one radius and style, drawn as one path: small where a card shows
    /// two dozen of them on a page of thousands of cards.
    Dots {
        /// Centres.
        points: Vec<(f32, f32)>,
        /// Radius.
        r: f32,
        /// CSS class.
        class: &'static str,
        /// Default fill and stroke.
        colour: String,
    },
}

/// The words diagrams print, so themes and languages can change them.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Lane names: actions, touchpoints, thoughts, emotion, pains, opportunities, backstage.
    pub lanes: [String; 7],
    /// "Moment of truth".
    pub moment_of_truth: String,
    /// "evidence".
    pub evidence: String,
    /// "Legend".
    pub legend: String,
    /// Legend entries: pain, opportunity, backstage, evidence.
    pub pain: String,
    /// "Opportunity".
    pub opportunity: String,
    /// "Backstage".
    pub backstage: String,
    /// Emotion words, indexed 1–5 (0 unused).
    pub emotions: [String; 6],
    /// "Neutral line".
    pub neutral: String,
    /// "customers remain" (funnel).
    pub remain: String,
    /// "step" and "steps" (heat map cells).
    pub steps: [String; 2],
    /// Empathy map quadrants: says, thinks, does, feels.
    pub empathy: [String; 4],
    /// "With" before the actors of a step.
    pub with: String,
    /// "Current state", "Future state", "Change" (comparison chart).
    pub current: String,
    /// "Future state".
    pub future: String,
    /// "Change".
    pub change: String,
    /// Severity words (low, medium, high, critical), shown after a pain.
    pub severities: [String; 4],
    /// Priority words (low, medium, high), shown after an opportunity.
    pub priorities: [String; 3],
    /// Accessible descriptions and titles, with `{…}` to fill in (see [`fill`]): the
    /// map's description (`{title}`, `{stages}`, `{names}`, `{steps}`)…
    pub map_desc: String,
    /// …and its emotion range (`{low}`, `{high}`).
    pub map_desc_emotion: String,
    /// The stage strip's title (`{title}`).
    pub strip_title: String,
    /// The stage strip's description (`{names}`)…
    pub strip_desc: String,
    /// …and its scores (`{scores}`).
    pub strip_desc_emotion: String,
    /// The funnel's title (`{title}`).
    pub funnel_title: String,
    /// The funnel's description (`{stages}`).
    pub funnel_desc: String,
    /// The empathy map's title (`{name}`).
    pub empathy_title: String,
    /// The empathy map's description (`{name}`, `{says}`, `{thinks}`, `{does}`, `{feels}`).
    pub empathy_desc: String,
    /// The heat map's title.
    pub heatmap_title: String,
    /// The heat map's description (`{channels}`, `{stages}`, `{cells}`).
    pub heatmap_desc: String,
    /// The comparison chart's title (`{future}`, `{current}`).
    pub compare_title: String,
    /// The comparison chart's description (`{changes}`).
    pub compare_desc: String,
    /// The chart of a journey's emotion over its revisions: title (`{title}`)…
    pub evolution_title: String,
    /// …and description (`{oldest}`, `{now}`: the versions' labels; `{changes}`: each
    /// stage's mean emotion in every version shown, oldest first).
    pub evolution_desc: String,
    /// A ```` ```journey ```` block: the title of a map without one…
    pub block_title: String,
    /// …the actors in its description (`{actors}`)…
    pub block_actors: String,
    /// …the label of its scrolling region (`{title}`)…
    pub block_region: String,
    /// …or, without a title, (`{n}`, the block's number on the page).
    pub block_region_untitled: String,
    /// The poster's words.
    pub poster: PosterLabels,
    /// How dates are written: `{day}`, `{month}` (from `months`), `{year}`.
    pub date_format: String,
    /// Month names, January first.
    pub months: [String; 12],
    /// The decimal separator (`.` in English, `,` in Spanish).
    pub decimal: String,
    /// A customer's words in quotation marks (`{text}`).
    pub quote: String,
}

/// The words a poster prints besides the map's.
#[derive(Debug, Clone)]
pub struct PosterLabels {
    /// The kind of map, by state: current, future, research.
    pub kinds: [String; 3],
    /// "Persona" and "Personas".
    pub persona: [String; 2],
    /// "Scenario".
    pub scenario: String,
    /// "How to read this map".
    pub how_to_read: String,
    /// "Owner: {owner}".
    pub owner: String,
    /// "Status: {status}".
    pub status: String,
    /// "Reviewed {date}".
    pub reviewed: String,
    /// "Tags: {tags}".
    pub tags: String,
    /// The poster's description, from the map's (`{map}`).
    pub desc: String,
}

impl Labels {
    /// A date as this language writes it.
    pub fn date(&self, date: crate::parse::node::Date) -> String {
        let month = self
            .months
            .get(usize::from(date.month).wrapping_sub(1))
            .cloned()
            .unwrap_or_else(|| format!("{:02}", date.month));
        self.date_format
            .replace("{day}", &date.day.to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }
}

impl Labels {
    /// A number written with one decimal, with this language's separator.
    pub fn one_decimal(&self, value: f64, signed: bool) -> String {
        let text = if signed {
            format!("{value:+.1}")
        } else {
            format!("{value:.1}")
        };
        text.replace('.', &self.decimal)
    }
}

/// `pattern` with each `{name}` replaced by its value.
pub fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    fill_with(pattern, |name| {
        args.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| *value)
    })
}

/// `pattern` with each `{name}` that `arg` has a value for replaced by that value, in
/// one pass: the values are not searched for placeholders themselves (a quote that
/// reads `{n}` stays as written), and the order of the arguments does not matter.
pub fn fill_with<'v>(pattern: &str, arg: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((arg(&after[..close])?, close)));
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            lanes: [
                "Actions",
                "Touchpoints",
                "Thinks",
                "Emotion",
                "Pains",
                "Opportunities",
                "Backstage",
            ]
            .map(String::from),
            moment_of_truth: "Moment of truth".into(),
            evidence: "evidence".into(),
            legend: "Legend".into(),
            pain: "Pain point [severity]".into(),
            opportunity: "Opportunity [priority · owner]".into(),
            backstage: "Backstage support".into(),
            emotions: ["", "Frustrated", "Unhappy", "Neutral", "Happy", "Delighted"]
                .map(String::from),
            neutral: "neutral".into(),
            remain: "remain".into(),
            steps: ["step".into(), "steps".into()],
            empathy: ["Says", "Thinks", "Does", "Feels"].map(String::from),
            with: "With".into(),
            current: "Current state".into(),
            future: "Future state".into(),
            change: "Change".into(),
            severities: crate::model::Severity::ALL.map(|(_, k)| k.to_string()),
            priorities: crate::model::Priority::ALL.map(|(_, k)| k.to_string()),
            map_desc: "Journey map of “{title}”: {stages} stages ({names}), {steps} steps."
                .into(),
            map_desc_emotion: "Emotion ranges from {low} to {high} on a scale of 1 to 5.".into(),
            strip_title: "Stages and emotion of “{title}”".into(),
            strip_desc: "Stages: {names}.".into(),
            strip_desc_emotion: "Emotion by step: {scores}.".into(),
            funnel_title: "Funnel of “{title}”".into(),
            funnel_desc: "Share of customers at each stage: {stages}.".into(),
            empathy_title: "Empathy map of {name}".into(),
            empathy_desc: "{name}: {says} says, {thinks} thinks, {does} does, {feels} feels."
                .into(),
            heatmap_title: "Channels across stages".into(),
            heatmap_desc: "{channels} channels by {stages} stages; {cells} cells with steps, each showing the number of steps and their mean emotion.".into(),
            compare_title: "“{future}” compared with “{current}”".into(),
            compare_desc: "Mean emotion by stage, future minus current: {changes}.".into(),
            evolution_title: "How “{title}” felt over time".into(),
            evolution_desc: "Mean emotion by stage, from the oldest version shown to now ({oldest} → {now}): {changes}.".into(),
            block_title: "Journey map".into(),
            block_actors: "Actors: {actors}.".into(),
            block_region: "Journey map: {title}, scrolls sideways".into(),
            block_region_untitled: "Journey map {n}, scrolls sideways".into(),
            poster: PosterLabels {
                kinds: [
                    "Current-state journey map",
                    "Future-state journey map",
                    "Journey map · in research",
                ]
                .map(String::from),
                persona: ["Persona", "Personas"].map(String::from),
                scenario: "Scenario".into(),
                how_to_read: "How to read this map".into(),
                owner: "Owner: {owner}".into(),
                status: "Status: {status}".into(),
                reviewed: "Reviewed {date}".into(),
                tags: "Tags: {tags}".into(),
                desc: "Poster of the {map}".into(),
            },
            date_format: "{day} {month} {year}".into(),
            months: [
                "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December",
            ]
            .map(String::from),
            decimal: ".".into(),
            quote: "“{text}”".into(),
        }
    }
}

/// The default palette: dark ink on light fills, colour-blind-safe accents (the
/// Okabe–Ito hues, darkened for text contrast). Themes override via classes.
pub mod palette {
    /// Main text.
    pub const INK: &str = "#1f2933";
    /// Secondary text.
    pub const MUTED: &str = "#52606d";
    /// Card outlines, grid lines.
    pub const LINE: &str = "#cbd2d9";
    /// Lane backgrounds.
    pub const LANE: &str = "#f5f7fa";
    /// Stage headers.
    pub const STAGE: &str = "#d9e8f6";
    /// Phase bands.
    pub const PHASE: &str = "#e4e7eb";
    /// Pain text (vermilion, darkened).
    pub const PAIN: &str = "#b54708";
    /// Opportunity text (bluish green, darkened).
    pub const OPPORTUNITY: &str = "#03785a";
    /// The emotion curve (blue).
    pub const CURVE: &str = "#0b5cad";
    /// Moments of truth (orange, darkened).
    pub const MOMENT: &str = "#b7791f";
    /// Marker fills for low, neutral and high emotion.
    pub const EMOTION: [&str; 3] = ["#fde2d3", "#eef0f2", "#d3f2e6"];
}

/// Marker fill and class for an emotion score.
pub fn emotion_style(e: u8) -> (&'static str, &'static str) {
    match e {
        1 | 2 => (palette::EMOTION[0], "cx-emotion cx-emotion-low"),
        3 => (palette::EMOTION[1], "cx-emotion cx-emotion-neutral"),
        _ => (palette::EMOTION[2], "cx-emotion cx-emotion-high"),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn rect(
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    rx: f32,
    class: &'static str,
    fill: &str,
    stroke: Option<&str>,
) -> Shape {
    Shape::Rect {
        x,
        y,
        w,
        h,
        rx,
        class,
        fill: fill.into(),
        stroke: stroke.map(String::from),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn text(
    x: f32,
    y: f32,
    lines: Vec<String>,
    size: f32,
    weight: Weight,
    anchor: Anchor,
    class: &'static str,
    fill: &str,
) -> Shape {
    Shape::Text {
        x,
        y,
        lines,
        size,
        weight,
        anchor,
        class,
        fill: fill.into(),
    }
}

/// Line height used for `size` (the SVG writer spaces lines the same way).
pub fn line_height(size: f32) -> f32 {
    (size * 1.3).round()
}

/// An id prefix from any text: `cx-` and the slug, so ids stay valid and distinct.
pub fn id_prefix(key: &str) -> String {
    format!("cx-{}-", crate::slug::slugify(key))
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_each_placeholder_once_in_one_pass() {
        assert_eq!(fill("{n} maps of {n}", &[("n", "3")]), "3 maps of 3");
        // A value is not read for placeholders, whatever the order of the arguments.
        assert_eq!(
            fill("{a} by {b}", &[("a", "{b}"), ("b", "Ana")]),
            "{b} by Ana"
        );
        assert_eq!(fill("{a} by {b}", &[("b", "{a}"), ("a", "x")]), "x by {a}");
        // Unknown names and stray braces stay as written.
        assert_eq!(fill("{x} {{n}} {n", &[("n", "1")]), "{x} {1} {n");
        assert_eq!(fill("", &[("n", "1")]), "");
        assert_eq!(fill("«{text}»", &[("text", "é")]), "«é»");
    }
}
