//! The built-in stage models (SPEC §5): stage ids, names in English, Spanish, Catalan and
//! Italian, order and phases.

/// A name in each language the built-in models speak, in the order of [`LANGUAGES`].
pub type Names = [&'static str; 4];

/// The languages of [`Names`]: English, Spanish, Catalan, Italian.
pub const LANGUAGES: [&str; 4] = ["en", "es", "ca", "it"];

/// The name for `lang` (`es-MX` reads `es`); English for any other language.
pub fn name_in(names: &Names, lang: &str) -> &'static str {
    let primary = lang.split('-').next().unwrap_or(lang);
    LANGUAGES
        .iter()
        .position(|l| l.eq_ignore_ascii_case(primary))
        .map_or(names[0], |i| names[i])
}

/// One stage of a built-in model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelStage {
    /// Stable id, used in `[[stages]] id = "…"`.
    pub id: &'static str,
    /// Its name in each language.
    pub names: Names,
    /// Its phase's name in each language, when the model groups stages into phases.
    pub phase: Option<Names>,
}

impl ModelStage {
    /// The stage's name in `lang`.
    pub fn name(&self, lang: &str) -> &'static str {
        name_in(&self.names, lang)
    }

    /// The phase's name in `lang`, when the model has phases.
    pub fn phase(&self, lang: &str) -> Option<&'static str> {
        self.phase.as_ref().map(|p| name_in(p, lang))
    }
}

/// A built-in stage model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageModel {
    /// Id, as in `model = "five-stage"`.
    pub id: &'static str,
    /// The model's name in each language.
    pub names: Names,
    /// Stages in order.
    pub stages: &'static [ModelStage],
}

impl StageModel {
    /// The index and stage with this id.
    pub fn stage(&self, id: &str) -> Option<(usize, &ModelStage)> {
        self.stages.iter().enumerate().find(|(_, s)| s.id == id)
    }
}

const THREE_PHASE_PHASE_0: Names = [
    "Before purchase",
    "Antes de la compra",
    "Abans de la compra",
    "Prima dell'acquisto",
];
const THREE_PHASE_PHASE_1: Names = ["Transaction", "Transacción", "Transacció", "Transazione"];
const THREE_PHASE_PHASE_2: Names = [
    "After purchase",
    "Después de la compra",
    "Després de la compra",
    "Dopo l'acquisto",
];

/// Every built-in model, in the order the guide lists them.
pub const MODELS: &[StageModel] = &[
    StageModel {
        id: "five-stage",
        names: [
            "Five-stage customer journey",
            "Recorrido del cliente en cinco etapas",
            "Viatge del client en cinc etapes",
            "Customer journey in cinque fasi",
        ],
        stages: &[
            ModelStage {
                id: "discovery",
                names: ["Discovery", "Descubrimiento", "Descoberta", "Scoperta"],
                phase: None,
            },
            ModelStage {
                id: "consideration",
                names: [
                    "Consideration",
                    "Consideración",
                    "Consideració",
                    "Considerazione",
                ],
                phase: None,
            },
            ModelStage {
                id: "decision",
                names: ["Decision", "Decisión", "Decisió", "Decisione"],
                phase: None,
            },
            ModelStage {
                id: "retention",
                names: ["Retention", "Retención", "Retenció", "Fidelizzazione"],
                phase: None,
            },
            ModelStage {
                id: "recommendation",
                names: [
                    "Recommendation",
                    "Recomendación",
                    "Recomanació",
                    "Raccomandazione",
                ],
                phase: None,
            },
        ],
    },
    StageModel {
        id: "three-phase",
        names: [
            "Three phases of purchase",
            "Tres fases de la compra",
            "Tres fases de la compra",
            "Tre fasi dell'acquisto",
        ],
        stages: &[
            ModelStage {
                id: "discovery",
                names: ["Discovery", "Descubrimiento", "Descoberta", "Scoperta"],
                phase: Some(THREE_PHASE_PHASE_0),
            },
            ModelStage {
                id: "consideration",
                names: [
                    "Consideration",
                    "Consideración",
                    "Consideració",
                    "Considerazione",
                ],
                phase: Some(THREE_PHASE_PHASE_0),
            },
            ModelStage {
                id: "purchase",
                names: ["Purchase", "Compra", "Compra", "Acquisto"],
                phase: Some(THREE_PHASE_PHASE_1),
            },
            ModelStage {
                id: "service",
                names: ["Service", "Asistencia", "Assistència", "Assistenza"],
                phase: Some(THREE_PHASE_PHASE_1),
            },
            ModelStage {
                id: "retention",
                names: ["Retention", "Retención", "Retenció", "Fidelizzazione"],
                phase: Some(THREE_PHASE_PHASE_2),
            },
            ModelStage {
                id: "advocacy",
                names: [
                    "Advocacy",
                    "Recomendación",
                    "Recomanació",
                    "Raccomandazione",
                ],
                phase: Some(THREE_PHASE_PHASE_2),
            },
        ],
    },
    StageModel {
        id: "purchase-cycle",
        names: [
            "Purchase cycle",
            "Ciclo de compra",
            "Cicle de compra",
            "Ciclo d'acquisto",
        ],
        stages: &[
            ModelStage {
                id: "discovery",
                names: ["Discovery", "Descubrimiento", "Descoberta", "Scoperta"],
                phase: None,
            },
            ModelStage {
                id: "evaluation",
                names: [
                    "Evaluation of alternatives",
                    "Evaluación de alternativas",
                    "Avaluació d'alternatives",
                    "Valutazione delle alternative",
                ],
                phase: None,
            },
            ModelStage {
                id: "purchase",
                names: ["Purchase", "Compra", "Acció de compra", "Acquisto"],
                phase: None,
            },
            ModelStage {
                id: "post-sale",
                names: [
                    "Post-sale service",
                    "Servicio posventa",
                    "Servei postvenda",
                    "Assistenza post-vendita",
                ],
                phase: None,
            },
            ModelStage {
                id: "loyalty",
                names: ["Loyalty", "Fidelización", "Fidelització", "Fidelizzazione"],
                phase: None,
            },
        ],
    },
    StageModel {
        id: "aida",
        names: ["AIDA", "AIDA", "AIDA", "AIDA"],
        stages: &[
            ModelStage {
                id: "attention",
                names: ["Attention", "Atención", "Atenció", "Attenzione"],
                phase: None,
            },
            ModelStage {
                id: "interest",
                names: ["Interest", "Interés", "Interès", "Interesse"],
                phase: None,
            },
            ModelStage {
                id: "desire",
                names: ["Desire", "Deseo", "Desig", "Desiderio"],
                phase: None,
            },
            ModelStage {
                id: "action",
                names: ["Action", "Acción", "Acció", "Azione"],
                phase: None,
            },
        ],
    },
    StageModel {
        id: "funnel",
        names: [
            "Marketing funnel",
            "Embudo de marketing",
            "Embut de màrqueting",
            "Funnel di marketing",
        ],
        stages: &[
            ModelStage {
                id: "awareness",
                names: ["Awareness", "Conocimiento", "Coneixement", "Consapevolezza"],
                phase: None,
            },
            ModelStage {
                id: "familiarity",
                names: ["Familiarity", "Familiaridad", "Familiaritat", "Familiarità"],
                phase: None,
            },
            ModelStage {
                id: "consideration",
                names: [
                    "Consideration",
                    "Consideración",
                    "Consideració",
                    "Considerazione",
                ],
                phase: None,
            },
            ModelStage {
                id: "purchase",
                names: ["Purchase", "Compra", "Compra", "Acquisto"],
                phase: None,
            },
            ModelStage {
                id: "loyalty",
                names: ["Loyalty", "Fidelidad", "Fidelitat", "Fedeltà"],
                phase: None,
            },
        ],
    },
    StageModel {
        id: "decision-journey",
        names: [
            "Consumer decision journey",
            "Recorrido de decisión del consumidor",
            "Viatge de decisió del consumidor",
            "Percorso decisionale del consumatore",
        ],
        stages: &[
            ModelStage {
                id: "initial-consideration",
                names: [
                    "Initial consideration",
                    "Consideración inicial",
                    "Consideració inicial",
                    "Considerazione iniziale",
                ],
                phase: None,
            },
            ModelStage {
                id: "active-evaluation",
                names: [
                    "Active evaluation",
                    "Evaluación activa",
                    "Avaluació activa",
                    "Valutazione attiva",
                ],
                phase: None,
            },
            ModelStage {
                id: "moment-of-purchase",
                names: [
                    "Moment of purchase",
                    "Momento de compra",
                    "Moment de compra",
                    "Momento dell'acquisto",
                ],
                phase: None,
            },
            ModelStage {
                id: "post-purchase",
                names: [
                    "Post-purchase experience",
                    "Experiencia posterior a la compra",
                    "Experiència postcompra",
                    "Esperienza post-acquisto",
                ],
                phase: None,
            },
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
                .phase("en"),
            Some("Transaction")
        );
        let cycle = find("purchase-cycle").unwrap();
        assert_eq!(
            cycle.stage("purchase").unwrap().1.name("ca"),
            "Acció de compra"
        );
        assert_eq!(
            cycle.stage("evaluation").unwrap().1.name("es-MX"),
            "Evaluación de alternativas"
        );
        assert_eq!(
            cycle.stage("post-sale").unwrap().1.name("fr"),
            "Post-sale service"
        );
    }
}
