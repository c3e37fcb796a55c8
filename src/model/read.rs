//! One parsed file to one document: every field of SPEC §3–§4 read, typed and checked,
//! with spans kept for the references that [`super::resolve`] checks across files.

use crate::config::Config;
use crate::diag::Severity as Level;
use crate::load::Source;
use crate::parse::fields::{Ctx, Fields, Spanned};
use crate::parse::frontmatter::{self, Format, SplitError};
use crate::parse::markdown::{self, RenderOptions};
use crate::parse::mermaid::Problem;
use crate::parse::node::{self, Kind, Node};

use super::stage_models::{self, ModelStage, StageModel};
use super::{
    Empathy, Evidence, Journey, JourneyId, JourneyState, Metric, Opportunity, Page, Pain, Persona,
    PersonaId, PersonaKind, Priority, Severity, Stage, Step,
};

/// A journey with the spans of what it refers to.
#[derive(Debug, Clone)]
pub struct JourneyDoc {
    /// The journey; `personas` and `baseline` are filled by resolve.
    pub journey: Journey,
    /// Persona slugs as written.
    pub persona_refs: Vec<Spanned<String>>,
    /// Baseline slug as written.
    pub baseline_ref: Option<Spanned<String>>,
    /// Channels as written.
    pub channel_refs: Vec<Spanned<String>>,
}

/// Splits a file and parses its frontmatter into a node; `None` when there is nothing
/// to read (the problem is reported).
fn front_node<'t>(source: &'t Source, ctx: &Ctx) -> Option<(Node, &'t str, usize)> {
    let text = &*source.text;
    match frontmatter::split(text) {
        Ok(split) => {
            let (node, errors) = match split.format {
                Format::Toml => node::from_toml(split.front, split.front_offset),
                Format::Yaml => node::from_yaml(split.front, split.front_offset),
            };
            let had_errors = !errors.is_empty();
            for e in errors {
                let lang = if split.format == Format::Toml {
                    "TOML"
                } else {
                    "YAML"
                };
                match e.help {
                    // Well-formed, but over a budget: say which and what to do.
                    Some(help) => {
                        ctx.error(e.span, e.message)
                            .label(e.label.unwrap_or_default())
                            .help(help);
                    }
                    None => {
                        ctx.error(
                            e.span,
                            format!("invalid {lang} in frontmatter: {}", e.message),
                        )
                        .label(format!("the frontmatter must be valid {lang}"));
                    }
                }
            }
            if had_errors {
                return None;
            }
            let node = if matches!(node.kind, Kind::Null) {
                Node {
                    span: split.open.clone(),
                    kind: Kind::Table(Vec::new()),
                }
            } else {
                Node {
                    span: split.open.start..split.open.end,
                    ..node
                }
            };
            Some((node, split.body, split.body_offset))
        }
        Err(SplitError::Missing) => {
            let first_line = text.find('\n').unwrap_or(text.len()).min(200);
            let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
            ctx.error(at..first_line.max(at), "this file has no frontmatter")
                .label("expected `+++` (TOML) or `---` (YAML) on the first line")
                .help(format!(
                    "start the file with a `+++` line, the fields (at least `{}`), and another `+++` line",
                    source.kind.required_key()
                ));
            None
        }
        Err(SplitError::Unterminated(span)) => {
            ctx.error(span, "the frontmatter is never closed")
                .label("this fence has no closing line")
                .help("add a line with the same fence after the last field");
            None
        }
    }
}

/// Reads a journey file.
pub fn journey(source: &Source, config: &Config, ctx: &Ctx) -> Option<JourneyDoc> {
    let (node, body, body_offset) = front_node(source, ctx)?;
    let mut f = Fields::new(ctx, &node, "journey")?;
    let title = f.required_str("title").map(|t| t.value);
    let mut persona_refs = f.str_list("personas");
    persona_refs.extend(f.str_list("persona"));
    let summary = f.text("summary");
    let scenario = f.text("scenario");
    let state = f.str("state").and_then(|s| {
        let found = s.value.parse::<JourneyState>().ok();
        if found.is_none() {
            ctx.error(s.span, format!("unknown state `{}`", s.value))
                .label("expected `current`, `future` or `research`")
                .did_you_mean(&s.value, JourneyState::ALL.iter().map(|(_, k)| *k));
        }
        found
    });
    let baseline_ref = f.str("baseline");
    let model = f.str("model").and_then(|m| {
        let found = stage_models::find(&m.value);
        if found.is_none() {
            ctx.error(m.span, format!("unknown stage model `{}`", m.value))
                .label("not a built-in stage model")
                .did_you_mean(&m.value, stage_models::ids());
        }
        found
    });
    let model = model.or_else(|| config.model.as_deref().and_then(stage_models::find));
    let owner = f.text("owner");
    let status = f.text("status");
    let tags = f.texts("tags");
    let reviewed = f.date("reviewed");
    let (lang, slug) = language(source, config, f.str("lang"), ctx);
    let mut channel_refs = Vec::new();
    let stages = read_stages(&mut f, model, &lang, config, &mut channel_refs);
    let extra = f.extra();
    f.finish();

    let rendered = markdown::render_with_sections(
        body,
        RenderOptions::new(&slug, body_offset, config.unsafe_html),
        &|text, id| {
            stages.iter().position(|s| {
                id.is_some_and(|id| id == s.id) || text.to_lowercase() == s.name.to_lowercase()
            })
        },
    );
    report(ctx, &rendered.problems);
    let mut stages = stages;
    for (i, html) in rendered.sections {
        if let Some(stage) = stages.get_mut(i) {
            stage.section_html = Some(html);
        }
    }

    Some(JourneyDoc {
        journey: Journey {
            id: JourneyId(slug),
            source: source.rel.clone(),
            lang,
            translations: Vec::new(),
            title: title?,
            personas: Vec::new(),
            summary,
            scenario,
            state: state.unwrap_or_default(),
            baseline: None,
            futures: Vec::new(),
            model: model.map(|m| m.id.to_string()),
            owner,
            status,
            tags,
            reviewed,
            stale: false,
            history: None,
            earlier: Vec::new(),
            stages: stages.into(),
            body_html: rendered.narrative,
            headings: rendered.headings,
            fences: rendered.fences,
            body_text: rendered.text,
            extra,
        },
        persona_refs,
        baseline_ref,
        channel_refs,
    })
}

/// Reports the problems of a body's ```` ```journey ```` blocks.
fn report(ctx: &Ctx, problems: &[Problem]) {
    for p in problems {
        let d = match p.severity {
            Level::Error => ctx.error(p.span.clone(), p.message.clone()),
            Level::Warning => ctx.warning(p.span.clone(), p.message.clone()),
        }
        .label(p.label.clone());
        if let Some(help) = &p.help {
            d.help(help.clone());
        }
    }
}

/// Stages, placed in the model's order when they come from one.
fn read_stages(
    f: &mut Fields<'_>,
    model: Option<&'static StageModel>,
    lang: &str,
    config: &Config,
    channel_refs: &mut Vec<Spanned<String>>,
) -> Vec<Stage> {
    let ctx = f.ctx();
    let nodes = f.array("stages");
    // (sort key, stage): model stages sort by their place in the model; a stage of the
    // journey's own stays after the stage written before it.
    let mut keyed: Vec<((usize, usize), Stage)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut anchor = 0;
    for (file_index, node) in nodes.iter().enumerate() {
        let Some(mut s) = Fields::new(ctx, node, "stage") else {
            continue;
        };
        let id = s.str("id");
        let name = s.str("name").filter(|n| !n.value.trim().is_empty());
        let from_model = id
            .as_ref()
            .and_then(|id| model.and_then(|m| m.stage(&id.value)));
        if let Some((index, _)) = from_model {
            anchor = index;
        }
        let (stage_id, stage_name, model_phase) =
            stage_identity(ctx, &id, &name, from_model, model, lang, s.span.start);
        let span = id
            .as_ref()
            .map(|i| i.span.clone())
            .or(name.as_ref().map(|n| n.span.clone()))
            .unwrap_or(s.span.clone());
        if !stage_id.is_empty() {
            if seen.contains(&stage_id) {
                ctx.error(span.clone(), format!("two stages have the id `{stage_id}`"))
                    .label("a stage with this id is already defined above")
                    .help("give each stage its own `name` or `id`");
            } else {
                seen.push(stage_id.clone());
            }
        }
        let goal = s.text("goal");
        let phase = s.text("phase").or(model_phase.map(str::to_string));
        let dropoff = s.number("dropoff").and_then(|d| {
            if (0.0..=1.0).contains(&d.value) {
                Some(d.value)
            } else {
                ctx.error(d.span, format!("`dropoff` {} is out of range", d.value))
                    .label("expected a share from 0 to 1, e.g. 0.35 for 35 %");
                None
            }
        });
        let metrics = s
            .array("metrics")
            .iter()
            .filter_map(|m| read_metric(ctx, m))
            .collect();
        let step_nodes = s.array("steps");
        let steps: Vec<Step> = step_nodes
            .iter()
            .filter_map(|n| read_step(ctx, n, config, channel_refs))
            .collect();
        let extra = s.extra();
        let has_steps_key = s.has("steps");
        s.finish();
        if step_nodes.is_empty() && !stage_name.is_empty() {
            ctx.warning(span.clone(), format!("stage `{stage_name}` has no steps"))
                .label(if has_steps_key {
                    "its `steps` list is empty"
                } else {
                    "no `[[stages.steps]]` follow it"
                })
                .help("add `[[stages.steps]]` with an `action`, or remove the stage");
        }
        let key = match from_model {
            Some((index, _)) => (index, file_index),
            None => (anchor, file_index),
        };
        keyed.push((
            key,
            Stage {
                id: stage_id,
                name: stage_name,
                goal,
                phase,
                dropoff,
                metrics,
                steps,
                section_html: None,
                extra,
            },
        ));
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, s)| s).collect()
}

/// A stage's id, name and (from its model) phase: a stage of the journey's model by
/// `id`, or one of the journey's own by `name` (and `id`); the problems of each case
/// are reported.
fn stage_identity(
    ctx: &Ctx,
    id: &Option<Spanned<String>>,
    name: &Option<Spanned<String>>,
    from_model: Option<(usize, &'static ModelStage)>,
    model: Option<&'static StageModel>,
    lang: &str,
    start: usize,
) -> (String, String, Option<&'static str>) {
    match (id, name, from_model) {
        (Some(id), name, Some((_, ms))) => (
            id.value.clone(),
            name.as_ref()
                .map_or(ms.name(lang).to_string(), |n| n.value.clone()),
            ms.phase(lang),
        ),
        (Some(id), Some(name), None) => {
            if crate::slug::slugify(&id.value) != id.value {
                ctx.error(
                    id.span.clone(),
                    format!("stage id `{}` is not a slug", id.value),
                )
                .label("expected lower-case letters, digits and `-`")
                .help(format!(
                    "write `id = \"{}\"`",
                    crate::slug::slugify(&id.value)
                ));
            }
            (id.value.clone(), name.value.clone(), None)
        }
        (Some(id), None, None) => {
            match model {
                Some(m) => {
                    ctx.error(
                        id.span.clone(),
                        format!("unknown stage `{}` in model `{}`", id.value, m.id),
                    )
                    .label(format!(
                        "expected one of {}",
                        m.stages
                            .iter()
                            .map(|s| format!("`{}`", s.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .did_you_mean(&id.value, m.stages.iter().map(|s| s.id));
                }
                None => {
                    ctx.error(id.span.clone(), format!("stage `{}` has no name", id.value))
                        .label("a stage given by `id` alone needs a stage model")
                        .help("add `name = \"…\"` to the stage, or `model = \"five-stage\"` (or another built-in model) to the journey");
                }
            }
            (id.value.clone(), id.value.clone(), None)
        }
        (None, Some(name), _) => (crate::slug::slugify(&name.value), name.value.clone(), None),
        (None, None, _) => {
            ctx.error(start..start, "this stage has no `name`")
                .label("`name` or `id` is required")
                .help("add `name = \"…\"`, or `id = \"…\"` of a stage of the journey's model");
            (String::new(), String::new(), None)
        }
    }
}

/// A string, or a number written where a string was meant (`value = 2.1`).
fn scalar_text(f: &mut Fields<'_>, key: &'static str) -> Option<String> {
    let node = f.node(key)?;
    match &node.kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Int(i) => Some(i.to_string()),
        Kind::Float(x) => Some(x.to_string()),
        other => {
            f.ctx()
                .error(node.span.clone(), format!("wrong type for `{key}`"))
                .label(format!("expected a string, found {}", other.name()));
            None
        }
    }
}

fn read_metric(ctx: &Ctx, node: &Node) -> Option<Metric> {
    let mut m = Fields::new(ctx, node, "metric")?;
    let name = m.required_str("name");
    let value = scalar_text(&mut m, "value");
    let target = scalar_text(&mut m, "target");
    m.finish();
    Some(Metric {
        name: name?.value,
        value,
        target,
    })
}

fn read_step(
    ctx: &Ctx,
    node: &Node,
    config: &Config,
    channel_refs: &mut Vec<Spanned<String>>,
) -> Option<Step> {
    let mut s = Fields::new(ctx, node, "step")?;
    let action = s.required_str("action");
    let touchpoint = s.text("touchpoint");
    let channel = s.str("channel").filter(|c| !c.value.trim().is_empty());
    if let Some(c) = &channel {
        channel_refs.push(c.clone());
    }
    let emotion = read_emotion(&mut s);
    let thought = s.text("thought");
    let pains = s
        .array("pains")
        .iter()
        .filter_map(|n| read_pain(ctx, n))
        .collect();
    let opportunities = s
        .array("opportunities")
        .iter()
        .filter_map(|n| read_opportunity(ctx, n))
        .collect();
    let backstage = s.texts("backstage");
    let moment_of_truth = s.bool("moment_of_truth").unwrap_or(false);
    let evidence = s
        .array("evidence")
        .iter()
        .filter_map(|n| read_evidence(ctx, n))
        .collect();
    let extra = s.extra();
    s.finish();
    // The label and colour from `[channels]`, else the text as written. A change to
    // `cxmap.toml` reads every file again, so they never go stale.
    let channel_label = channel
        .as_ref()
        .map(|c| config.channel_label(&c.value).to_string());
    let channel_colour = channel
        .as_ref()
        .and_then(|c| config.channels.get(&c.value)?.colour.clone());
    Some(Step {
        action: action?.value,
        touchpoint,
        channel: channel.map(|c| c.value),
        channel_label,
        channel_colour,
        emotion,
        thought,
        pains,
        opportunities,
        backstage,
        moment_of_truth,
        evidence,
        extra,
    })
}

fn read_emotion(s: &mut Fields<'_>) -> Option<u8> {
    let node = s.node("emotion")?;
    let ctx = s.ctx();
    let expected = "expected a whole number from 1 (frustrated) to 5 (delighted)";
    match &node.kind {
        Kind::Int(i) if (1..=5).contains(i) => Some(*i as u8),
        Kind::Int(i) => {
            ctx.error(node.span.clone(), format!("emotion `{i}` is out of range"))
                .label(expected);
            None
        }
        Kind::Float(x) => {
            // Quote what was written: `1e23`, not the number it reads as.
            let written = ctx
                .written(&node.span)
                .map_or_else(|| x.to_string(), str::to_string);
            let error = ctx
                .error(
                    node.span.clone(),
                    format!("emotion `{written}` is not a whole number from 1 to 5"),
                )
                .label(expected);
            if x.fract() == 0.0 && (1.0..=5.0).contains(x) {
                error.help(format!("write `{x}` without a decimal point"));
            }
            None
        }
        other => {
            ctx.error(node.span.clone(), "wrong type for `emotion`")
                .label(format!("{expected}, found {}", other.name()));
            None
        }
    }
}

/// Reads a closed set of words (severity, priority) with a "did you mean".
fn read_choice<T: Copy>(
    f: &mut Fields<'_>,
    key: &'static str,
    all: &[(T, &'static str)],
) -> Option<T> {
    let s = f.str(key)?;
    let word = s.value.trim().to_lowercase();
    let found = all.iter().find(|(_, k)| *k == word).map(|(v, _)| *v);
    if found.is_none() {
        let keys: Vec<String> = all.iter().map(|(_, k)| format!("`{k}`")).collect();
        f.ctx()
            .error(s.span, format!("unknown {key} `{}`", s.value))
            .label(format!("expected one of {}", keys.join(", ")))
            .did_you_mean(&word, all.iter().map(|(_, k)| *k));
    }
    found
}

/// A list item written as a plain string or as a table with `text`.
fn text_or_table<'a>(
    ctx: &'a Ctx,
    node: &'a Node,
    what: &'static str,
) -> Option<Result<String, Fields<'a>>> {
    match &node.kind {
        Kind::Str(s) if !s.trim().is_empty() => Some(Ok(s.clone())),
        Kind::Str(_) => None,
        Kind::Table(_) => Fields::new(ctx, node, what).map(Err),
        other => {
            ctx.error(node.span.clone(), format!("wrong type for a {what}"))
                .label(format!(
                    "expected a string or a table with `text`, found {}",
                    other.name()
                ));
            None
        }
    }
}

fn read_pain(ctx: &Ctx, node: &Node) -> Option<Pain> {
    match text_or_table(ctx, node, "pain")? {
        Ok(text) => Some(Pain {
            text,
            severity: None,
        }),
        Err(mut f) => {
            let text = f.required_str("text");
            let severity = read_choice(&mut f, "severity", &Severity::ALL);
            f.finish();
            Some(Pain {
                text: text?.value,
                severity,
            })
        }
    }
}

fn read_opportunity(ctx: &Ctx, node: &Node) -> Option<Opportunity> {
    match text_or_table(ctx, node, "opportunity")? {
        Ok(text) => Some(Opportunity {
            text,
            owner: None,
            priority: None,
            status: None,
        }),
        Err(mut f) => {
            let text = f.required_str("text");
            let owner = f.text("owner");
            let priority = read_choice(&mut f, "priority", &Priority::ALL);
            let status = f.text("status");
            f.finish();
            Some(Opportunity {
                text: text?.value,
                owner,
                priority,
                status,
            })
        }
    }
}

fn read_evidence(ctx: &Ctx, node: &Node) -> Option<Evidence> {
    match text_or_table(ctx, node, "piece of evidence")? {
        Ok(source) => Some(Evidence {
            source: Some(source),
            quote: None,
            link: None,
        }),
        Err(mut f) => {
            let source = f.text("source");
            let quote = f.text("quote");
            let link = f.str("link").and_then(|l| {
                if crate::parse::markdown::is_dangerous_url(&l.value) {
                    ctx.error(l.span, "this link is not allowed")
                        .label("expected an http(s), mailto or relative link");
                    None
                } else {
                    Some(l.value).filter(|v| !v.trim().is_empty())
                }
            });
            if source.is_none() && quote.is_none() {
                ctx.error(f.span.clone(), "evidence needs a `source` or a `quote`")
                    .label("neither is given")
                    .help("add `source = \"Interviews Q3\"` or `quote = \"…\"`");
            }
            f.finish();
            Some(Evidence {
                source,
                quote,
                link,
            })
        }
    }
}

/// Reads a persona file.
pub fn persona(source: &Source, config: &Config, ctx: &Ctx) -> Option<Persona> {
    let (node, body, body_offset) = front_node(source, ctx)?;
    let mut f = Fields::new(ctx, &node, "persona")?;
    let name = f.required_str("name");
    let role = f.text("role");
    let quote = f.text("quote");
    let avatar = f.str("avatar").and_then(|a| {
        let bad = a.value.contains("..")
            || a.value.contains(':')
            || a.value.starts_with('/')
            || a.value.contains('\\');
        if bad {
            ctx.error(a.span, "`avatar` must be a file name in `static/`")
                .label("expected a path like \"maria.jpg\" or \"people/maria.jpg\"");
            None
        } else {
            Some(a.value).filter(|v| !v.trim().is_empty())
        }
    });
    let kind = read_choice(&mut f, "kind", &PersonaKind::ALL);
    let goals = f.texts("goals");
    let needs = f.texts("needs");
    let frustrations = f.texts("frustrations");
    let motivations = f.texts("motivations");
    let channels = f.texts("channels");
    let empathy = match f.table("empathy", "empathy map") {
        Some(mut e) => {
            let empathy = Empathy {
                says: e.texts("says"),
                thinks: e.texts("thinks"),
                does: e.texts("does"),
                feels: e.texts("feels"),
            };
            e.finish();
            empathy
        }
        None => Empathy::default(),
    };
    let (lang, slug) = language(source, config, f.str("lang"), ctx);
    let extra = f.extra();
    f.finish();
    let rendered = markdown::render(
        body,
        RenderOptions::new(&slug, body_offset, config.unsafe_html),
    );
    report(ctx, &rendered.problems);
    Some(Persona {
        id: PersonaId(slug),
        source: source.rel.clone(),
        lang,
        translations: Vec::new(),
        name: name?.value,
        role,
        quote,
        avatar,
        kind,
        goals,
        needs,
        frustrations,
        motivations,
        channels,
        empathy,
        body_html: rendered.narrative,
        fences: rendered.fences,
        body_text: rendered.text,
        journeys: Vec::new(),
        history: None,
        extra,
    })
}

/// Reads a free page.
pub fn page(source: &Source, config: &Config, ctx: &Ctx) -> Option<Page> {
    let (node, body, body_offset) = front_node(source, ctx)?;
    let mut f = Fields::new(ctx, &node, "page")?;
    let title = f.required_str("title");
    let description = f.text("description");
    let weight = f.int("weight").map_or(0, |w| w.value);
    let (lang, slug) = language(source, config, f.str("lang"), ctx);
    let extra = f.extra();
    f.finish();
    let rendered = markdown::render(
        body,
        RenderOptions::new(&slug, body_offset, config.unsafe_html),
    );
    report(ctx, &rendered.problems);
    Some(Page {
        id: slug,
        source: source.rel.clone(),
        lang,
        translations: Vec::new(),
        title: title?.value,
        description,
        weight,
        body_html: rendered.narrative,
        headings: rendered.headings,
        fences: rendered.fences,
        body_text: rendered.text,
        extra,
    })
}

/// A file's language and slug (SPEC §7): the `.xx.md` suffix when `xx` is one of the
/// site's languages (the slug drops it, so translations share their slug), else
/// `lang = "xx"` in the frontmatter, else the site's `language`.
fn language(
    source: &Source,
    config: &Config,
    field: Option<Spanned<String>>,
    ctx: &Ctx,
) -> (String, String) {
    let languages = config.all_languages();
    let from_suffix = source
        .translation
        .as_ref()
        .filter(|(code, _)| languages.contains(code));
    if let Some((code, slug)) = from_suffix {
        if let Some(field) = field.filter(|f| f.value.to_lowercase() != *code) {
            ctx.warning(
                field.span,
                format!("the file name says `{code}`, this says `{}`", field.value),
            )
            .label("the file name's language is used")
            .help(format!("remove `lang`, or write `lang = \"{code}\"`"));
        }
        return (code.clone(), slug.clone());
    }
    if let Some((code, _)) = &source.translation
        && code.len() == 2
        && languages.len() > 1
    {
        ctx.warning(
            0..0,
            format!("`.{code}.md` is not one of the site's languages; read as part of the name"),
        )
        .help(format!(
            "add \"{code}\" to `languages` in cxmap.toml to make this file a translation"
        ));
    }
    if let Some(field) = field {
        let code = field.value.to_lowercase();
        if languages.contains(&code) {
            return (code, source.slug.clone());
        }
        ctx.error(
            field.span,
            format!("`{}` is not one of the site's languages", field.value),
        )
        .label(format!("expected one of `{}`", languages.join("`, `")))
        .help(format!(
            "add \"{code}\" to `languages` in cxmap.toml, or remove `lang`"
        ));
    }
    (config.language.clone(), source.slug.clone())
}
