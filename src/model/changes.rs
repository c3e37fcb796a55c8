//! What changed in the maps between two versions of a site, in journey terms: the
//! statements as plain data.
//!
//! `diff::sites` finds them and words them (`describe_in`, `to_text`,
//! `to_markdown`); the site keeps them for its latest commits ([`super::Recent`]), and
//! `cxmap diff --format json` writes them as they are serialized here.

use serde::Serialize;

/// Everything that changed between two sites.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// Journeys with changes, by slug (the new slug for a renamed journey).
    pub journeys: Vec<JourneyChanges>,
    /// Personas with changes, by slug.
    pub personas: Vec<PersonaChanges>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.journeys.is_empty() && self.personas.is_empty()
    }
}

/// The changes to one journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyChanges {
    /// The slug (after; before for a removed journey).
    pub journey: String,
    /// The title (after; before for a removed journey).
    pub title: String,
    /// What changed, in order.
    pub changes: Vec<JourneyChange>,
}

/// One statement about a journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum JourneyChange {
    /// The journey is new.
    JourneyAdded,
    /// The journey is gone.
    JourneyRemoved,
    /// The journey moved to a new slug.
    JourneyRenamed {
        /// The old slug.
        from: String,
    },
    /// The title changed.
    TitleChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// The state (current, future, research) changed.
    StateChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A stage is new.
    StageAdded {
        /// Its name.
        stage: String,
    },
    /// A stage is gone.
    StageRemoved {
        /// Its name.
        stage: String,
    },
    /// A stage has a new name.
    StageRenamed {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// The stages that are in both maps come in another order.
    StagesReordered {
        /// Their order before.
        from: Vec<String>,
        /// Their order after.
        to: Vec<String>,
    },
    /// A step is new.
    StepAdded {
        /// Its stage.
        stage: String,
        /// Its action.
        step: String,
    },
    /// A step is gone.
    StepRemoved {
        /// Its stage (before).
        stage: String,
        /// Its action.
        step: String,
    },
    /// A step is now in another stage.
    StepMoved {
        /// Its action.
        step: String,
        /// The stage before.
        from: String,
        /// The stage after.
        to: String,
    },
    /// A step's action was reworded (matched by position).
    StepReworded {
        /// Its stage.
        stage: String,
        /// The action before.
        from: String,
        /// The action after.
        to: String,
    },
    /// The emotion of a step changed.
    Emotion {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// Before (1–5), when set.
        from: Option<u8>,
        /// After (1–5), when set.
        to: Option<u8>,
    },
    /// The touchpoint of a step changed.
    TouchpointChanged {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// The channel of a step changed.
    ChannelChanged {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A pain point is new.
    PainAdded {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// The pain.
        pain: String,
    },
    /// A pain point is gone: resolved.
    PainResolved {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// The pain.
        pain: String,
    },
    /// An opportunity is new.
    OpportunityAdded {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// The idea.
        opportunity: String,
    },
    /// An opportunity is gone.
    OpportunityRemoved {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// The idea.
        opportunity: String,
    },
    /// An opportunity's owner, priority or status changed.
    OpportunityChanged {
        /// The stage.
        stage: String,
        /// The step's action.
        step: String,
        /// The idea.
        opportunity: String,
        /// `owner`, `priority` or `status`.
        field: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
}

/// The changes to one persona.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonaChanges {
    /// The slug.
    pub persona: String,
    /// The name (after; before for a removed persona).
    pub name: String,
    /// What changed, in field order.
    pub changes: Vec<PersonaChange>,
}

/// One statement about a persona.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PersonaChange {
    /// The persona is new.
    PersonaAdded,
    /// The persona is gone.
    PersonaRemoved,
    /// A one-value field (name, role, quote, kind) changed.
    FieldChanged {
        /// The field as written in frontmatter.
        field: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// Entries of a list (goals, needs, an empathy quadrant…) came or went.
    ListChanged {
        /// The field, e.g. `goals` or `empathy.feels`.
        field: String,
        /// New entries.
        added: Vec<String>,
        /// Entries gone.
        removed: Vec<String>,
    },
    /// The background text changed.
    BackgroundChanged,
}
