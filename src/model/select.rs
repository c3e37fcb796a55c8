//! Journeys named on the command line (`--journey SLUG` of `export` and `report`): one
//! way to read a slug as a user may type it, and one way to say it names nothing.

use super::{Journey, JourneyId, Site};

/// A `--journey` that names no journey of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownJourney {
    /// The argument as given.
    pub given: String,
    /// The slug it was read as.
    pub slug: String,
    /// The journey of the site whose slug is closest, if any is close.
    pub closest: Option<String>,
}

/// A slug as a user may type it, read as the journey's id: surrounding space, `\`
/// between folders, a leading `journeys/` and a trailing `.md` are all accepted
/// (`journeys\retail\order.md` → `retail/order`).
pub fn normalise_slug(slug: &str) -> String {
    let s = slug.trim().replace('\\', "/");
    let mut s = s.trim_matches('/');
    while let Some(rest) = s.strip_prefix("journeys/") {
        s = rest.trim_start_matches('/');
    }
    while let Some(rest) = s.strip_suffix(".md") {
        s = rest;
    }
    s.trim_matches('/').to_string()
}

impl Site {
    /// The journeys `slugs` name, in slug order and each once; the first slug that names
    /// none is the error.
    pub fn select(&self, slugs: &[String]) -> Result<Vec<&Journey>, UnknownJourney> {
        let mut chosen = Vec::with_capacity(slugs.len());
        for given in slugs {
            let slug = normalise_slug(given);
            let Some(j) = self.journey(&JourneyId(slug.clone())) else {
                let ids = self.journeys.iter().map(|j| j.id.0.as_str());
                return Err(UnknownJourney {
                    given: given.clone(),
                    closest: crate::diag::closest(&slug, ids).map(str::to_string),
                    slug,
                });
            };
            chosen.push(j);
        }
        chosen.sort_by(|a, b| a.id.cmp(&b.id));
        chosen.dedup_by(|a, b| a.id == b.id);
        Ok(chosen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_read_as_users_type_them() {
        for typed in [
            "retail/order",
            " retail/order ",
            "/retail/order/",
            "journeys/retail/order.md",
            "journeys\\retail\\order.md",
            "journeys/journeys/retail/order.md.md",
        ] {
            assert_eq!(normalise_slug(typed), "retail/order", "{typed:?}");
        }
    }
}
