//! The built-in stage models (SPEC §5): stage ids, English names, order and phases.

/// One stage of a built-in model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelStage {
    /// Stable id, used in `[[stages]] id = "…"`.
    pub id: &'static str,
    /// English name.
    pub name: &'static str,
    /// English phase name, when the model groups stages into phases.
    pub phase: Option<&'static str>,
}

/// A built-in stage model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageModel {
    /// Id, as in `model = "five-stage"`.
    pub id: &'static str,
    /// English name of the model.
    pub name: &'static str,
    /// Stages in order.
    pub stages: &'static [ModelStage],
}

impl StageModel {
    /// The index and stage with this id.
    pub fn stage(&self, id: &str) -> Option<(usize, &ModelStage)> {
        self.stages.iter().enumerate().find(|(_, s)| s.id == id)
    }
}

const fn s(id: &'static str, name: &'static str) -> ModelStage {
    ModelStage {
        id,
        name,
        phase: None,
    }
}

const fn p(id: &'static str, name: &'static str, phase: &'static str) -> ModelStage {
    ModelStage {
        id,
        name,
        phase: Some(phase),
    }
}

/// Every built-in model, in the order the guide lists them.
pub const MODELS: &[StageModel] = &[
    StageModel {
        id: "five-stage",
        name: "Five-stage customer journey",
        stages: &[
            s("discovery", "Discovery"),
            s("consideration", "Consideration"),
            s("decision", "Decision"),
            s("retention", "Retention"),
            s("recommendation", "Recommendation"),
        ],
    },
    StageModel {
        id: "three-phase",
        name: "Three phases of purchase",
        stages: &[
            p("discovery", "Discovery", "Before purchase"),
            p("consideration", "Consideration", "Before purchase"),
            p("purchase", "Purchase", "Transaction"),
            p("service", "Service", "Transaction"),
            p("retention", "Retention", "After purchase"),
            p("advocacy", "Advocacy", "After purchase"),
        ],
    },
    StageModel {
        id: "purchase-cycle",
        name: "Purchase cycle",
        stages: &[
            s("discovery", "Discovery"),
            s("evaluation", "Evaluation of alternatives"),
            s("purchase", "Purchase"),
            s("post-sale", "Post-sale service"),
            s("loyalty", "Loyalty"),
        ],
    },
    StageModel {
        id: "aida",
        name: "AIDA",
        stages: &[
            s("attention", "Attention"),
            s("interest", "Interest"),
            s("desire", "Desire"),
            s("action", "Action"),
        ],
    },
    StageModel {
        id: "funnel",
        name: "Marketing funnel",
        stages: &[
            s("awareness", "Awareness"),
            s("familiarity", "Familiarity"),
            s("consideration", "Consideration"),
            s("purchase", "Purchase"),
            s("loyalty", "Loyalty"),
        ],
    },
    StageModel {
        id: "decision-journey",
        name: "Consumer decision journey",
        stages: &[
            s("initial-consideration", "Initial consideration"),
            s("active-evaluation", "Active evaluation"),
            s("moment-of-purchase", "Moment of purchase"),
            s("post-purchase", "Post-purchase experience"),
        ],
    },
];

/// The built-in model with this id.
pub fn find(id: &str) -> Option<&'static StageModel> {
    MODELS.iter().find(|m| m.id == id)
}

/// Every model id, for "did you mean".
pub fn ids() -> impl Iterator<Item = &'static str> {
    MODELS.iter().map(|m| m.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_models_with_unique_stage_ids() {
        assert_eq!(MODELS.len(), 6);
        for m in MODELS {
            let mut ids: Vec<_> = m.stages.iter().map(|s| s.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), m.stages.len(), "{}", m.id);
            for st in m.stages {
                assert_eq!(crate::slug::slugify(st.id), st.id);
            }
        }
        assert_eq!(
            find("three-phase")
                .unwrap()
                .stage("purchase")
                .unwrap()
                .1
                .phase,
            Some("Transaction")
        );
    }
}
