//! What changed in the maps between two resolved sites, in journey terms.
//!
//! [`sites`] takes two [`Site`]s (the maps before and after, e.g. from
//! [`crate::check`] on two folders or, later, two git revisions) and returns
//! [`Changes`]: statements such as "stage added", "step moved", "emotion 2 → 4" or
//! "pain resolved", grouped by journey and persona. Unchanged maps are not mentioned.
//! It is pure: no file system, no clock, and the order is deterministic (journeys by
//! slug, then stage order, then step order; personas by slug).
//!
//! How things are matched:
//! - **Journeys** by slug. A journey that disappeared and one that appeared are the
//!   same journey *renamed* when they have the same title or, failing that, when more
//!   than half of the removed journey's stage names and step actions appear in the new
//!   one (it must have at least one stage).
//! - **Stages** by id (the stage model's id, or the slug of the name); a new name under
//!   the same id is a rename. A leftover stage at the same position as a leftover new
//!   stage, sharing a step action with it, is renamed too.
//! - **Steps** by action text first (in order), then by position in a matched stage (the
//!   action was reworded). A matched step in another stage has moved.
//! - **Pains** and **opportunities** by their text.
//! - **Personas** by slug.
//!
//! The statements are plain data of the model ([`crate::model::changes`], re-exported
//! here); [`Changes::to_text`] and [`Changes::to_markdown`] render them, and their
//! `Serialize` implementation gives `--format json`.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagram::fill;
pub use crate::model::changes::{
    Changes, JourneyChange, JourneyChanges, PersonaChange, PersonaChanges,
};
use crate::model::{Journey, Opportunity, Persona, Priority, Site, Stage, Step};
pub use crate::text::capitalise;

/// One statement, about a journey or a persona (for callers that word both alike).
#[derive(Debug, Clone, Copy)]
pub enum Statement<'a> {
    /// About a journey.
    Journey(&'a JourneyChange),
    /// About a persona.
    Persona(&'a PersonaChange),
}

/// Compares two sites: what changed from `before` to `after`.
pub fn sites(before: &Site, after: &Site) -> Changes {
    Changes {
        journeys: journeys(&before.journeys, &after.journeys),
        personas: personas(&before.personas, &after.personas),
    }
}

fn journeys(before: &[Journey], after: &[Journey]) -> Vec<JourneyChanges> {
    let old: BTreeMap<&str, &Journey> = before.iter().map(|j| (j.id.0.as_str(), j)).collect();
    let new: BTreeMap<&str, &Journey> = after.iter().map(|j| (j.id.0.as_str(), j)).collect();
    let removed: Vec<&Journey> = before
        .iter()
        .filter(|j| !new.contains_key(j.id.0.as_str()))
        .collect();
    let added: Vec<&Journey> = after
        .iter()
        .filter(|j| !old.contains_key(j.id.0.as_str()))
        .collect();
    // Renames: same title first, then similar content; each journey pairs at most once.
    let mut renamed_from: BTreeMap<&str, &Journey> = BTreeMap::new();
    let mut paired: BTreeSet<&str> = BTreeSet::new();
    for rule in [same_title as fn(&Journey, &Journey) -> bool, similar] {
        for r in &removed {
            if paired.contains(r.id.0.as_str()) {
                continue;
            }
            if let Some(a) = added
                .iter()
                .find(|a| !renamed_from.contains_key(a.id.0.as_str()) && rule(r, a))
            {
                renamed_from.insert(a.id.0.as_str(), r);
                paired.insert(r.id.0.as_str());
            }
        }
    }

    let mut out: Vec<JourneyChanges> = Vec::new();
    for j in after {
        let slug = j.id.0.as_str();
        let mut changes = Vec::new();
        if let Some(b) = old.get(slug) {
            compare_journey(b, j, &mut changes);
        } else if let Some(b) = renamed_from.get(slug) {
            changes.push(JourneyChange::JourneyRenamed {
                from: b.id.0.clone(),
            });
            compare_journey(b, j, &mut changes);
        } else {
            changes.push(JourneyChange::JourneyAdded);
        }
        if !changes.is_empty() {
            out.push(JourneyChanges {
                journey: j.id.0.clone(),
                title: j.title.clone(),
                changes,
            });
        }
    }
    for r in removed {
        if !paired.contains(r.id.0.as_str()) {
            out.push(JourneyChanges {
                journey: r.id.0.clone(),
                title: r.title.clone(),
                changes: vec![JourneyChange::JourneyRemoved],
            });
        }
    }
    out.sort_by(|a, b| a.journey.cmp(&b.journey));
    out
}

fn same_title(a: &Journey, b: &Journey) -> bool {
    a.title == b.title
}

/// More than half of the old journey's stage names and step actions are in the new one.
fn similar(old: &Journey, new: &Journey) -> bool {
    let words = |j: &Journey| -> BTreeSet<String> {
        j.stages
            .iter()
            .map(|s| format!("stage:{}", s.name))
            .chain(j.steps().map(|(_, s)| format!("step:{}", s.action)))
            .collect()
    };
    let a = words(old);
    let b = words(new);
    !old.stages.is_empty() && a.intersection(&b).count() * 2 > a.len()
}

/// A step's place: stage index and step index within the stage.
type Place = (usize, usize);

fn compare_journey(b: &Journey, a: &Journey, out: &mut Vec<JourneyChange>) {
    if b.title != a.title {
        out.push(JourneyChange::TitleChanged {
            from: b.title.clone(),
            to: a.title.clone(),
        });
    }
    if b.state != a.state {
        out.push(JourneyChange::StateChanged {
            from: b.state.key().to_string(),
            to: a.state.key().to_string(),
        });
    }

    // Stages: before index -> after index.
    let stage_map = match_stages(&b.stages, &a.stages);
    let matched_after: BTreeSet<usize> = stage_map.values().copied().collect();
    for (ai, stage) in a.stages.iter().enumerate() {
        match stage_map.iter().find(|&(_, &v)| v == ai) {
            None => out.push(JourneyChange::StageAdded {
                stage: stage.name.clone(),
            }),
            Some((&bi, _)) if b.stages[bi].name != stage.name => {
                out.push(JourneyChange::StageRenamed {
                    from: b.stages[bi].name.clone(),
                    to: stage.name.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for (bi, stage) in b.stages.iter().enumerate() {
        if !stage_map.contains_key(&bi) {
            out.push(JourneyChange::StageRemoved {
                stage: stage.name.clone(),
            });
        }
    }
    let order_before: Vec<usize> = stage_map.values().copied().collect();
    let order_after: Vec<usize> = matched_after.iter().copied().collect();
    if order_before != order_after {
        out.push(JourneyChange::StagesReordered {
            from: order_before
                .iter()
                .map(|&i| a.stages[i].name.clone())
                .collect(),
            to: order_after
                .iter()
                .map(|&i| a.stages[i].name.clone())
                .collect(),
        });
    }

    // Steps: after place -> before place.
    let steps = match_steps(b, a, &stage_map);
    let matched_before: BTreeSet<Place> = steps.values().copied().collect();
    let removed_steps: Vec<Place> = b
        .stages
        .iter()
        .enumerate()
        .flat_map(|(si, s)| (0..s.steps.len()).map(move |i| (si, i)))
        .filter(|p| !matched_before.contains(p))
        .collect();
    for (ai, stage) in a.stages.iter().enumerate() {
        for (i, step) in stage.steps.iter().enumerate() {
            match steps.get(&(ai, i)) {
                None => out.push(JourneyChange::StepAdded {
                    stage: stage.name.clone(),
                    step: step.action.clone(),
                }),
                Some(&(bs, bi)) => {
                    let old_stage = &b.stages[bs];
                    let old = &old_stage.steps[bi];
                    if stage_map.get(&bs) != Some(&ai) {
                        out.push(JourneyChange::StepMoved {
                            step: step.action.clone(),
                            from: old_stage.name.clone(),
                            to: stage.name.clone(),
                        });
                    }
                    compare_step(old, step, &stage.name, out);
                }
            }
        }
        // Steps gone from the stage that this one continues.
        for &(bs, bi) in &removed_steps {
            if stage_map.get(&bs) == Some(&ai) {
                out.push(JourneyChange::StepRemoved {
                    stage: b.stages[bs].name.clone(),
                    step: b.stages[bs].steps[bi].action.clone(),
                });
            }
        }
    }
    for &(bs, bi) in &removed_steps {
        if !stage_map.contains_key(&bs) {
            out.push(JourneyChange::StepRemoved {
                stage: b.stages[bs].name.clone(),
                step: b.stages[bs].steps[bi].action.clone(),
            });
        }
    }
}

/// Pairs stages: by id, then leftovers at the same position that share a step action.
fn match_stages(b: &[Stage], a: &[Stage]) -> BTreeMap<usize, usize> {
    let mut map = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (bi, s) in b.iter().enumerate() {
        if let Some(ai) = a
            .iter()
            .position(|t| t.id == s.id)
            .filter(|ai| !taken.contains(ai))
        {
            map.insert(bi, ai);
            taken.insert(ai);
        }
    }
    for (bi, s) in b.iter().enumerate() {
        if map.contains_key(&bi) || taken.contains(&bi) {
            continue;
        }
        if let Some(t) = a.get(bi) {
            let shares = s
                .steps
                .iter()
                .any(|x| t.steps.iter().any(|y| y.action == x.action));
            if shares {
                map.insert(bi, bi);
                taken.insert(bi);
            }
        }
    }
    map
}

/// Pairs steps: by action text (in order), then by position within matched stages.
fn match_steps(
    b: &Journey,
    a: &Journey,
    stage_map: &BTreeMap<usize, usize>,
) -> BTreeMap<Place, Place> {
    let places = |j: &Journey| -> Vec<Place> {
        j.stages
            .iter()
            .enumerate()
            .flat_map(|(si, s)| (0..s.steps.len()).map(move |i| (si, i)))
            .collect()
    };
    let before = places(b);
    let after = places(a);
    let mut map: BTreeMap<Place, Place> = BTreeMap::new();
    let mut used: BTreeSet<Place> = BTreeSet::new();
    for &ap in &after {
        if let Some(&bp) = before
            .iter()
            .find(|bp| !used.contains(*bp) && step_at(b, **bp).action == step_at(a, ap).action)
        {
            map.insert(ap, bp);
            used.insert(bp);
        }
    }
    for &ap in &after {
        if map.contains_key(&ap) {
            continue;
        }
        let (as_, ai) = ap;
        if let Some((&bs, _)) = stage_map.iter().find(|&(_, &v)| v == as_) {
            let bp = (bs, ai);
            if ai < b.stages[bs].steps.len() && !used.contains(&bp) {
                map.insert(ap, bp);
                used.insert(bp);
            }
        }
    }
    map
}

fn step_at(j: &Journey, (s, i): Place) -> &Step {
    &j.stages[s].steps[i]
}

fn compare_step(b: &Step, a: &Step, stage: &str, out: &mut Vec<JourneyChange>) {
    let st = || stage.to_string();
    let act = || a.action.clone();
    if b.action != a.action {
        out.push(JourneyChange::StepReworded {
            stage: st(),
            from: b.action.clone(),
            to: act(),
        });
    }
    if b.emotion != a.emotion {
        out.push(JourneyChange::Emotion {
            stage: st(),
            step: act(),
            from: b.emotion,
            to: a.emotion,
        });
    }
    if b.touchpoint != a.touchpoint {
        out.push(JourneyChange::TouchpointChanged {
            stage: st(),
            step: act(),
            from: b.touchpoint.clone(),
            to: a.touchpoint.clone(),
        });
    }
    if b.channel_label != a.channel_label {
        out.push(JourneyChange::ChannelChanged {
            stage: st(),
            step: act(),
            from: b.channel_label.clone(),
            to: a.channel_label.clone(),
        });
    }
    for p in &a.pains {
        if !b.pains.iter().any(|q| q.text == p.text) {
            out.push(JourneyChange::PainAdded {
                stage: st(),
                step: act(),
                pain: p.text.clone(),
            });
        }
    }
    for p in &b.pains {
        if !a.pains.iter().any(|q| q.text == p.text) {
            out.push(JourneyChange::PainResolved {
                stage: st(),
                step: act(),
                pain: p.text.clone(),
            });
        }
    }
    for o in &a.opportunities {
        match b.opportunities.iter().find(|q| q.text == o.text) {
            None => out.push(JourneyChange::OpportunityAdded {
                stage: st(),
                step: act(),
                opportunity: o.text.clone(),
            }),
            Some(old) => {
                for (field, from, to) in opportunity_fields(old, o) {
                    out.push(JourneyChange::OpportunityChanged {
                        stage: st(),
                        step: act(),
                        opportunity: o.text.clone(),
                        field: field.to_string(),
                        from,
                        to,
                    });
                }
            }
        }
    }
    for o in &b.opportunities {
        if !a.opportunities.iter().any(|q| q.text == o.text) {
            out.push(JourneyChange::OpportunityRemoved {
                stage: st(),
                step: act(),
                opportunity: o.text.clone(),
            });
        }
    }
}

type FieldChange = (&'static str, Option<String>, Option<String>);

fn opportunity_fields(b: &Opportunity, a: &Opportunity) -> Vec<FieldChange> {
    let priority = |p: Option<Priority>| p.map(|p| p.to_string());
    [
        ("owner", b.owner.clone(), a.owner.clone()),
        ("priority", priority(b.priority), priority(a.priority)),
        ("status", b.status.clone(), a.status.clone()),
    ]
    .into_iter()
    .filter(|(_, from, to)| from != to)
    .collect()
}

fn personas(before: &[Persona], after: &[Persona]) -> Vec<PersonaChanges> {
    let old: BTreeMap<&str, &Persona> = before.iter().map(|p| (p.id.0.as_str(), p)).collect();
    let new: BTreeMap<&str, &Persona> = after.iter().map(|p| (p.id.0.as_str(), p)).collect();
    let slugs: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut out = Vec::new();
    for slug in slugs {
        let (name, changes) = match (old.get(slug), new.get(slug)) {
            (None, Some(a)) => (&a.name, vec![PersonaChange::PersonaAdded]),
            (Some(b), None) => (&b.name, vec![PersonaChange::PersonaRemoved]),
            (Some(b), Some(a)) => (&a.name, compare_persona(b, a)),
            (None, None) => continue,
        };
        if !changes.is_empty() {
            out.push(PersonaChanges {
                persona: slug.to_string(),
                name: name.clone(),
                changes,
            });
        }
    }
    out
}

fn compare_persona(b: &Persona, a: &Persona) -> Vec<PersonaChange> {
    let kind = |p: &Persona| p.kind.map(|k| k.to_string());
    let mut out = Vec::new();
    let scalars: [FieldChange; 4] = [
        ("name", Some(b.name.clone()), Some(a.name.clone())),
        ("role", b.role.clone(), a.role.clone()),
        ("quote", b.quote.clone(), a.quote.clone()),
        ("kind", kind(b), kind(a)),
    ];
    for (field, from, to) in scalars {
        if from != to {
            out.push(PersonaChange::FieldChanged {
                field: field.to_string(),
                from,
                to,
            });
        }
    }
    let lists: [(&str, &[String], &[String]); 9] = [
        ("goals", &b.goals, &a.goals),
        ("needs", &b.needs, &a.needs),
        ("frustrations", &b.frustrations, &a.frustrations),
        ("motivations", &b.motivations, &a.motivations),
        ("channels", &b.channels, &a.channels),
        ("empathy.says", &b.empathy.says, &a.empathy.says),
        ("empathy.thinks", &b.empathy.thinks, &a.empathy.thinks),
        ("empathy.does", &b.empathy.does, &a.empathy.does),
        ("empathy.feels", &b.empathy.feels, &a.empathy.feels),
    ];
    for (field, from, to) in lists {
        let added: Vec<String> = to.iter().filter(|x| !from.contains(x)).cloned().collect();
        let removed: Vec<String> = from.iter().filter(|x| !to.contains(x)).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(PersonaChange::ListChanged {
                field: field.to_string(),
                added,
                removed,
            });
        }
    }
    if b.body_text.trim() != a.body_text.trim() {
        out.push(PersonaChange::BackgroundChanged);
    }
    out
}

impl Changes {
    /// Plain text for a terminal: a line per journey or persona, an indented line per
    /// change.
    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return "no changes to the maps\n".to_string();
        }
        let q = |s: &str| format!("“{s}”");
        let mut out = String::new();
        for j in &self.journeys {
            out.push_str(&format!("journey {} ({})\n", q(&j.title), j.journey));
            for c in &j.changes {
                out.push_str(&format!("  {}\n", c.describe(&q)));
            }
        }
        for p in &self.personas {
            out.push_str(&format!("persona {} ({})\n", q(&p.name), p.persona));
            for c in &p.changes {
                out.push_str(&format!("  {}\n", c.describe(&q)));
            }
        }
        // Titles and step texts may hold escape sequences; none reaches the terminal.
        crate::diag::terminal_safe(&out).into_owned()
    }

    /// Markdown that fits a pull-request comment: a heading per journey and persona, a
    /// bullet per change; user text is escaped.
    pub fn to_markdown(&self) -> String {
        if self.is_empty() {
            return "No changes to the maps.\n".to_string();
        }
        let q = |s: &str| format!("“{}”", escape_markdown(s));
        let mut out = String::from("## What changed in the maps\n");
        for j in &self.journeys {
            out.push_str(&format!(
                "\n### {} (`{}`)\n\n",
                escape_markdown(&j.title),
                j.journey
            ));
            for c in &j.changes {
                out.push_str(&format!("- {}\n", capitalise(&c.describe(&q))));
            }
        }
        for p in &self.personas {
            out.push_str(&format!(
                "\n### Persona {} (`{}`)\n\n",
                escape_markdown(&p.name),
                p.persona
            ));
            for c in &p.changes {
                out.push_str(&format!("- {}\n", capitalise(&c.describe(&q))));
            }
        }
        crate::diag::terminal_safe(&out).into_owned()
    }
}

/// The words statements are made of, in one language: the `[changes]` strings, with
/// the words of `[state]` and `[priority]` they name and the quote marks of
/// `common.quote`. [`Words::for_language`] gives them for a site's language; [`Words::english`] is what the command line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    words: BTreeMap<&'static str, String>,
}

impl Words {
    /// Every string a statement may use, as dotted keys of the strings files.
    pub const KEYS: &'static [&'static str] = &[
        "common.quote",
        "state.current",
        "state.future",
        "state.research",
        "priority.low",
        "priority.medium",
        "priority.high",
        "changes.journey_added",
        "changes.journey_removed",
        "changes.journey_renamed",
        "changes.title",
        "changes.state",
        "changes.stage_added",
        "changes.stage_removed",
        "changes.stage_renamed",
        "changes.stages_reordered",
        "changes.step_added",
        "changes.step_removed",
        "changes.step_moved",
        "changes.step_reworded",
        "changes.emotion",
        "changes.touchpoint",
        "changes.channel",
        "changes.pain_added",
        "changes.pain_resolved",
        "changes.opportunity_added",
        "changes.opportunity_removed",
        "changes.opportunity_changed",
        "changes.persona_added",
        "changes.persona_removed",
        "changes.persona_field",
        "changes.persona_list",
        "changes.list_added",
        "changes.list_removed",
        "changes.background",
        "changes.none",
        "changes.list_separator",
        "changes.part_separator",
        "changes.kind_proto",
        "changes.kind_research",
        "changes.field_name",
        "changes.field_role",
        "changes.field_quote",
        "changes.field_kind",
        "changes.field_goals",
        "changes.field_needs",
        "changes.field_frustrations",
        "changes.field_motivations",
        "changes.field_channels",
        "changes.field_empathy_says",
        "changes.field_empathy_thinks",
        "changes.field_empathy_does",
        "changes.field_empathy_feels",
        "changes.field_owner",
        "changes.field_priority",
        "changes.field_status",
    ];

    /// The words for [`Words::KEYS`], each from `text` (given the dotted key).
    pub fn from_lookup(text: impl Fn(&str) -> String) -> Words {
        Words {
            words: Self::KEYS.iter().map(|&k| (k, text(k))).collect(),
        }
    }

    /// The words in `lang`, from a site's strings (`[changes]`, with `[state]`,
    /// `[priority]` and `common.quote`).
    pub fn for_language(strings: &crate::i18n::Strings, lang: &str) -> Words {
        Words::from_lookup(|key| strings.text(lang, key).to_string())
    }

    /// English, from the built-in strings: the words of `cxmap diff`.
    pub fn english() -> &'static Words {
        static ENGLISH: std::sync::LazyLock<Words> = std::sync::LazyLock::new(|| {
            Words::for_language(&crate::i18n::Strings::english(), "en")
        });
        &ENGLISH
    }

    /// `text` in the language's quote marks (`common.quote`), e.g. “Pays” or «Paga»;
    /// the usual `q` of [`JourneyChange::describe_in`].
    pub fn quote(&self, text: &str) -> String {
        fill(self.get("common.quote"), &[("text", text)])
    }

    fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The `[changes]` pattern `name` with its placeholders filled.
    fn say(&self, name: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(&format!("changes.{name}")), args)
    }

    /// The word for a value of a section (`state`, `priority`) or of the `[changes]`
    /// words (`kind_`, `field_`); the value itself when there is none.
    fn word<'a>(&'a self, prefix: &str, value: &'a str) -> &'a str {
        let key = format!("{prefix}{}", value.replace('.', "_"));
        self.words.get(key.as_str()).map_or(value, String::as_str)
    }

    fn none(&self) -> &str {
        self.get("changes.none")
    }

    fn list(&self, items: &[String], q: &dyn Fn(&str) -> String) -> String {
        items
            .iter()
            .map(|s| q(s))
            .collect::<Vec<_>>()
            .join(self.get("changes.list_separator"))
    }

    /// An optional user text: quoted, or the word for nothing.
    fn opt(&self, v: &Option<String>, q: &dyn Fn(&str) -> String) -> String {
        v.as_deref().map_or_else(|| self.none().to_string(), q)
    }
}

impl JourneyChanges {
    /// The statements about this journey in the language of `words`.
    pub fn describe_in(&self, words: &Words, q: &dyn Fn(&str) -> String) -> Vec<String> {
        self.changes
            .iter()
            .map(|c| c.describe_in(words, q))
            .collect()
    }
}

impl PersonaChanges {
    /// The statements about this persona in the language of `words`.
    pub fn describe_in(&self, words: &Words, q: &dyn Fn(&str) -> String) -> Vec<String> {
        self.changes
            .iter()
            .map(|c| c.describe_in(words, q))
            .collect()
    }
}

impl JourneyChange {
    /// One sentence in English; `q` quotes (and escapes) user text.
    pub fn describe(&self, q: &dyn Fn(&str) -> String) -> String {
        self.describe_in(Words::english(), q)
    }

    /// One sentence in the language of `words`; `q` quotes (and escapes) user text,
    /// e.g. `&|s| words.quote(s)`.
    pub fn describe_in(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        use JourneyChange as C;
        match self {
            C::JourneyAdded
            | C::JourneyRemoved
            | C::JourneyRenamed { .. }
            | C::TitleChanged { .. }
            | C::StateChanged { .. } => self.journey_statement(w, q),
            C::StageAdded { .. }
            | C::StageRemoved { .. }
            | C::StageRenamed { .. }
            | C::StagesReordered { .. } => self.stage_statement(w, q),
            C::StepAdded { .. }
            | C::StepRemoved { .. }
            | C::StepMoved { .. }
            | C::StepReworded { .. }
            | C::Emotion { .. }
            | C::TouchpointChanged { .. }
            | C::ChannelChanged { .. } => self.step_statement(w, q),
            C::PainAdded { .. }
            | C::PainResolved { .. }
            | C::OpportunityAdded { .. }
            | C::OpportunityRemoved { .. }
            | C::OpportunityChanged { .. } => self.mark_statement(w, q),
        }
    }

    /// A statement about the journey as a whole: added, removed, renamed (a new slug),
    /// a new title or state.
    fn journey_statement(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        use JourneyChange as C;
        match self {
            C::JourneyAdded => w.say("journey_added", &[]),
            C::JourneyRemoved => w.say("journey_removed", &[]),
            C::JourneyRenamed { from } => w.say("journey_renamed", &[("from", from)]),
            C::TitleChanged { from, to } => w.say("title", &[("from", &q(from)), ("to", &q(to))]),
            C::StateChanged { from, to } => w.say(
                "state",
                &[
                    ("from", w.word("state.", from)),
                    ("to", w.word("state.", to)),
                ],
            ),
            other => unreachable!("not a statement about the journey: {other:?}"),
        }
    }

    /// A statement about the stages: one added, removed or renamed, or their order.
    fn stage_statement(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        use JourneyChange as C;
        match self {
            C::StageAdded { stage } => w.say("stage_added", &[("stage", &q(stage))]),
            C::StageRemoved { stage } => w.say("stage_removed", &[("stage", &q(stage))]),
            C::StageRenamed { from, to } => {
                w.say("stage_renamed", &[("from", &q(from)), ("to", &q(to))])
            }
            C::StagesReordered { from, to } => w.say(
                "stages_reordered",
                &[("from", &w.list(from, q)), ("to", &w.list(to, q))],
            ),
            other => unreachable!("not a statement about the stages: {other:?}"),
        }
    }

    /// A statement about a step: added, removed, moved to another stage, reworded, or
    /// a new emotion (with an arrow for up or down), touchpoint or channel.
    fn step_statement(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        use JourneyChange as C;
        match self {
            C::StepAdded { stage, step } => {
                w.say("step_added", &[("step", &q(step)), ("stage", &q(stage))])
            }
            C::StepRemoved { stage, step } => {
                w.say("step_removed", &[("step", &q(step)), ("stage", &q(stage))])
            }
            C::StepMoved { step, from, to } => w.say(
                "step_moved",
                &[("step", &q(step)), ("from", &q(from)), ("to", &q(to))],
            ),
            C::StepReworded { stage, from, to } => w.say(
                "step_reworded",
                &[("from", &q(from)), ("stage", &q(stage)), ("to", &q(to))],
            ),
            C::Emotion {
                stage,
                step,
                from,
                to,
            } => {
                let n = |v: &Option<u8>| v.map_or_else(|| w.none().to_string(), |v| v.to_string());
                let arrow = match (from, to) {
                    (Some(f), Some(t)) if t > f => " ↑",
                    (Some(f), Some(t)) if t < f => " ↓",
                    _ => "",
                };
                w.say(
                    "emotion",
                    &[
                        ("from", &n(from)),
                        ("to", &n(to)),
                        ("arrow", arrow),
                        ("step", &q(step)),
                        ("stage", &q(stage)),
                    ],
                )
            }
            C::TouchpointChanged {
                stage,
                step,
                from,
                to,
            } => w.say(
                "touchpoint",
                &[
                    ("from", &w.opt(from, q)),
                    ("to", &w.opt(to, q)),
                    ("step", &q(step)),
                    ("stage", &q(stage)),
                ],
            ),
            C::ChannelChanged {
                stage,
                step,
                from,
                to,
            } => w.say(
                "channel",
                &[
                    ("from", &w.opt(from, q)),
                    ("to", &w.opt(to, q)),
                    ("step", &q(step)),
                    ("stage", &q(stage)),
                ],
            ),
            other => unreachable!("not a statement about a step: {other:?}"),
        }
    }

    /// A statement about a step's marks: a pain added or resolved, an opportunity
    /// added, removed, or with a new owner, priority or status.
    fn mark_statement(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        use JourneyChange as C;
        match self {
            C::PainAdded { stage, step, pain } => w.say(
                "pain_added",
                &[("step", &q(step)), ("stage", &q(stage)), ("pain", &q(pain))],
            ),
            C::PainResolved { stage, step, pain } => w.say(
                "pain_resolved",
                &[("step", &q(step)), ("stage", &q(stage)), ("pain", &q(pain))],
            ),
            C::OpportunityAdded {
                stage,
                step,
                opportunity,
            } => w.say(
                "opportunity_added",
                &[
                    ("step", &q(step)),
                    ("stage", &q(stage)),
                    ("opportunity", &q(opportunity)),
                ],
            ),
            C::OpportunityRemoved {
                stage,
                step,
                opportunity,
            } => w.say(
                "opportunity_removed",
                &[
                    ("step", &q(step)),
                    ("stage", &q(stage)),
                    ("opportunity", &q(opportunity)),
                ],
            ),
            C::OpportunityChanged {
                stage,
                step,
                opportunity,
                field,
                from,
                to,
            } => {
                // A priority is a word of the language; owner and status are as written.
                let value = |v: &Option<String>| match v {
                    Some(v) if field == "priority" => q(w.word("priority.", v)),
                    v => w.opt(v, q),
                };
                w.say(
                    "opportunity_changed",
                    &[
                        ("opportunity", &q(opportunity)),
                        ("step", &q(step)),
                        ("stage", &q(stage)),
                        ("field", w.word("changes.field_", field)),
                        ("from", &value(from)),
                        ("to", &value(to)),
                    ],
                )
            }
            other => unreachable!("not a statement about a step's marks: {other:?}"),
        }
    }
}

impl PersonaChange {
    /// One sentence in English; `q` quotes (and escapes) user text.
    pub fn describe(&self, q: &dyn Fn(&str) -> String) -> String {
        self.describe_in(Words::english(), q)
    }

    /// One sentence in the language of `words`; `q` quotes (and escapes) user text,
    /// e.g. `&|s| words.quote(s)`.
    pub fn describe_in(&self, w: &Words, q: &dyn Fn(&str) -> String) -> String {
        match self {
            PersonaChange::PersonaAdded => w.say("persona_added", &[]),
            PersonaChange::PersonaRemoved => w.say("persona_removed", &[]),
            PersonaChange::FieldChanged { field, from, to } => {
                // A kind is a word of the language; the other fields are as written.
                let value = |v: &Option<String>| match v {
                    Some(v) if field == "kind" => q(w.word("changes.kind_", v)),
                    v => w.opt(v, q),
                };
                w.say(
                    "persona_field",
                    &[
                        ("field", w.word("changes.field_", field)),
                        ("from", &value(from)),
                        ("to", &value(to)),
                    ],
                )
            }
            PersonaChange::ListChanged {
                field,
                added,
                removed,
            } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(w.say("list_added", &[("items", &w.list(added, q))]));
                }
                if !removed.is_empty() {
                    parts.push(w.say("list_removed", &[("items", &w.list(removed, q))]));
                }
                w.say(
                    "persona_list",
                    &[
                        ("field", w.word("changes.field_", field)),
                        ("changes", &parts.join(w.get("changes.part_separator"))),
                    ],
                )
            }
            PersonaChange::BackgroundChanged => w.say("background", &[]),
        }
    }
}

/// Backslash-escapes the characters Markdown (and GitHub's HTML) would interpret inside
/// a line; user text never starts a line, so `-`, `+` and digits need nothing.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            // `@name` in a pull-request comment notifies that person; a word joiner
            // after the `@` keeps the text as it reads and notifies nobody.
            '@' => out.push_str("@\u{2060}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_markdown_would_interpret() {
        assert_eq!(escape_markdown("a *b* <c>"), "a \\*b\\* \\<c\\>");

        assert_eq!(capitalise("émotion"), "Émotion");
    }

    fn hostile_changes() -> Changes {
        Changes {
            journeys: vec![JourneyChanges {
                journey: "a".into(),
                title: "\x1b]0;owned\x07\x1b[2J @maria".into(),
                changes: vec![JourneyChange::TitleChanged {
                    from: "ask @team".into(),
                    to: "\x1b[2J".into(),
                }],
            }],
            personas: Vec::new(),
        }
    }

    #[test]
    fn the_text_diff_never_sets_the_terminal_title_or_clears_the_screen() {
        let text = hostile_changes().to_text();
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.contains("[2J"), "the text is still shown: {text:?}");
    }

    #[test]
    fn the_markdown_diff_mentions_nobody() {
        let md = hostile_changes().to_markdown();
        assert!(!md.contains("@maria") && !md.contains("@team"), "{md}");
        assert!(
            md.contains("@\u{2060}maria") && md.contains("@\u{2060}team"),
            "{md}"
        );
        assert!(!md.contains('\x1b'), "{md:?}");
    }

    fn words(lang: &str) -> Words {
        let langs: Vec<String> = ["en", "es", "ca", "it"].map(String::from).to_vec();
        let strings = crate::i18n::Strings::load(&langs, &[], &mut crate::diag::Diagnostics::new());
        Words::for_language(&strings, lang)
    }

    /// One statement of every kind (and both sides of the optional values).
    fn every_kind() -> (Vec<JourneyChange>, Vec<PersonaChange>) {
        use JourneyChange as C;
        let s = |v: &str| v.to_string();
        let (stage, step) = (s("Pago"), s("Paga"));
        let journeys = vec![
            C::JourneyAdded,
            C::JourneyRemoved,
            C::JourneyRenamed { from: s("old") },
            C::TitleChanged {
                from: s("A"),
                to: s("B"),
            },
            C::StateChanged {
                from: s("current"),
                to: s("future"),
            },
            C::StageAdded {
                stage: stage.clone(),
            },
            C::StageRemoved {
                stage: stage.clone(),
            },
            C::StageRenamed {
                from: s("A"),
                to: s("B"),
            },
            C::StagesReordered {
                from: vec![s("A"), s("B")],
                to: vec![s("B"), s("A")],
            },
            C::StepAdded {
                stage: stage.clone(),
                step: step.clone(),
            },
            C::StepRemoved {
                stage: stage.clone(),
                step: step.clone(),
            },
            C::StepMoved {
                step: step.clone(),
                from: s("A"),
                to: s("B"),
            },
            C::StepReworded {
                stage: stage.clone(),
                from: s("A"),
                to: s("B"),
            },
            C::Emotion {
                stage: stage.clone(),
                step: step.clone(),
                from: Some(3),
                to: Some(4),
            },
            C::Emotion {
                stage: stage.clone(),
                step: step.clone(),
                from: None,
                to: Some(1),
            },
            C::TouchpointChanged {
                stage: stage.clone(),
                step: step.clone(),
                from: None,
                to: Some(s("Email")),
            },
            C::ChannelChanged {
                stage: stage.clone(),
                step: step.clone(),
                from: Some(s("Web")),
                to: None,
            },
            C::PainAdded {
                stage: stage.clone(),
                step: step.clone(),
                pain: s("P"),
            },
            C::PainResolved {
                stage: stage.clone(),
                step: step.clone(),
                pain: s("P"),
            },
            C::OpportunityAdded {
                stage: stage.clone(),
                step: step.clone(),
                opportunity: s("O"),
            },
            C::OpportunityRemoved {
                stage: stage.clone(),
                step: step.clone(),
                opportunity: s("O"),
            },
        ]
        .into_iter()
        .chain(
            ["owner", "priority", "status"].map(|field| C::OpportunityChanged {
                stage: stage.clone(),
                step: step.clone(),
                opportunity: s("O"),
                field: s(field),
                from: Some(s("low")),
                to: None,
            }),
        )
        .collect();
        let mut personas = vec![PersonaChange::PersonaAdded, PersonaChange::PersonaRemoved];
        for field in ["name", "role", "quote", "kind"] {
            personas.push(PersonaChange::FieldChanged {
                field: s(field),
                from: None,
                to: Some(s("research")),
            });
        }
        for field in [
            "goals",
            "needs",
            "frustrations",
            "motivations",
            "channels",
            "empathy.says",
            "empathy.thinks",
            "empathy.does",
            "empathy.feels",
        ] {
            personas.push(PersonaChange::ListChanged {
                field: s(field),
                added: vec![s("X"), s("Y")],
                removed: vec![s("Z")],
            });
        }
        personas.push(PersonaChange::BackgroundChanged);
        (journeys, personas)
    }

    #[test]
    fn every_key_is_an_english_string() {
        let strings = crate::i18n::Strings::english();
        for key in Words::KEYS {
            assert_ne!(strings.text("en", key), *key, "{key}");
        }
    }

    #[test]
    fn every_statement_is_filled_in_every_language() {
        let (journeys, personas) = every_kind();
        let english = Words::english();
        let q = |s: &str| english.quote(s);
        for lang in ["es", "ca", "it"] {
            let w = words(lang);
            let q_lang = |s: &str| w.quote(s);
            let said: Vec<(String, String)> = journeys
                .iter()
                .map(|c| (c.describe_in(&w, &q_lang), c.describe(&q)))
                .chain(
                    personas
                        .iter()
                        .map(|c| (c.describe_in(&w, &q_lang), c.describe(&q))),
                )
                .collect();
            for (text, en) in &said {
                assert!(!text.contains(['{', '}']), "{lang}: {text}");
                assert!(!text.contains("changes."), "{lang}: {text}");
                assert!(!text.contains('“'), "{lang} quotes its own way: {text}");
                assert!(
                    !text.contains('`') || text.contains("`old`"),
                    "{lang}: {text}"
                );
                assert_ne!(text, en, "{lang}");
            }
            // Every statement and every field reads differently.
            let distinct: BTreeSet<&String> = said.iter().map(|(t, _)| t).collect();
            assert_eq!(distinct.len(), said.len(), "{lang}");
        }
    }

    #[test]
    fn english_says_what_the_command_line_says() {
        let (journeys, personas) = every_kind();
        let w = Words::english();
        let q = |s: &str| format!("“{s}”");
        assert_eq!(w.quote("Pays"), q("Pays"));
        let said: Vec<String> = journeys
            .iter()
            .map(|c| c.describe_in(w, &q))
            .chain(personas.iter().map(|c| c.describe_in(w, &q)))
            .collect();
        assert!(said.contains(&"emotion 3 → 4 ↑ at “Paga” (“Pago”)".to_string()));
        assert!(said.contains(&"emotion — → 1 at “Paga” (“Pago”)".to_string()));
        assert!(said.contains(&"state current → future".to_string()));
        assert!(said.contains(&"renamed from `old`".to_string()));
        assert!(said.contains(&"`kind` — → “research”".to_string()));
        assert!(said.contains(&"`goals`: added “X”, “Y”; removed “Z”".to_string()));
        assert!(
            said.contains(&"opportunity “O” at “Paga” (“Pago”): `priority` “low” → —".to_string())
        );
    }

    #[test]
    fn statements_in_spanish_catalan_and_italian() {
        let say = |lang: &str, c: &JourneyChange| {
            let w = words(lang);
            c.describe_in(&w, &|s| w.quote(s))
        };
        let say_persona = |lang: &str, c: &PersonaChange| {
            let w = words(lang);
            c.describe_in(&w, &|s| w.quote(s))
        };
        let s = |v: &str| v.to_string();
        let emotion = JourneyChange::Emotion {
            stage: s("Pago"),
            step: s("Paga"),
            from: Some(3),
            to: Some(4),
        };
        assert_eq!(say("es", &emotion), "emoción 3 → 4 ↑ en «Paga» («Pago»)");
        assert_eq!(say("ca", &emotion), "emoció 3 → 4 ↑ a «Paga» («Pago»)");
        assert_eq!(say("it", &emotion), "emozione 3 → 4 ↑ in «Paga» («Pago»)");
        let moved = JourneyChange::StepMoved {
            step: s("Comprova l’import"),
            from: s("Avís"),
            to: s("Pagament"),
        };
        assert_eq!(
            say("ca", &moved),
            "pas «Comprova l’import» mogut de «Avís» a «Pagament»"
        );
        let resolved = JourneyChange::PainResolved {
            stage: s("Avviso"),
            step: s("Legge la bolletta"),
            pain: s("Gergo ovunque"),
        };
        assert_eq!(
            say("it", &resolved),
            "punto critico risolto in «Legge la bolletta» («Avviso»): «Gergo ovunque»"
        );
        let priority = JourneyChange::OpportunityChanged {
            stage: s("Avviso"),
            step: s("Legge la bolletta"),
            opportunity: s("Bolletta chiara"),
            field: s("priority"),
            from: Some(s("low")),
            to: Some(s("high")),
        };
        assert_eq!(
            say("it", &priority),
            "opportunità «Bolletta chiara» in «Legge la bolletta» («Avviso»): priorità «bassa» → «alta»"
        );
        let state = JourneyChange::StateChanged {
            from: s("current"),
            to: s("research"),
        };
        assert_eq!(say("es", &state), "estado actual → en investigación");
        let feels = PersonaChange::ListChanged {
            field: s("empathy.feels"),
            added: vec![s("Aliviada"), s("Tranquila")],
            removed: vec![s("Ansiosa")],
        };
        assert_eq!(
            say_persona("es", &feels),
            "mapa de empatía (siente): ahora con «Aliviada», «Tranquila»; ya sin «Ansiosa»"
        );
        let kind = PersonaChange::FieldChanged {
            field: s("kind"),
            from: None,
            to: Some(s("research")),
        };
        assert_eq!(say_persona("ca", &kind), "tipus: — → «basada en recerca»");
        let journey = JourneyChanges {
            journey: s("pagar"),
            title: s("Pagar"),
            changes: vec![JourneyChange::JourneyAdded],
        };
        let w = words("es");
        assert_eq!(
            journey.describe_in(&w, &|t| w.quote(t)),
            ["recorrido añadido"]
        );
    }

    #[test]
    fn a_filled_value_is_never_filled_again() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x {c}"
        );
        let c = JourneyChange::StepAdded {
            stage: "{stage}".into(),
            step: "{to}".into(),
        };
        assert_eq!(
            c.describe(&|s| format!("“{s}”")),
            "step “{to}” added to “{stage}”"
        );
    }
}
