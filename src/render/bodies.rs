//! Bodies as pages show them: the ```` ```journey ```` fences drawn.
//!
//! Reading a file leaves a placeholder word in its HTML for each fence and the fence
//! itself next to it (`fences` of a journey, persona or page); see
//! [`crate::parse::markdown`]. Here every body of a site, in every language, gets its
//! fences drawn in their placeholders' places with the site's words for the body's
//! language (built in, then the theme's and the site's `i18n/<lang>.toml`), before any
//! page, `data/journeys.json` or export shows it. A body keeps the language it is
//! written in wherever it is listed, so its diagram does too.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diagram::Labels;
use crate::diagram::mermaid::draw_fences;
use crate::i18n::Strings;
use crate::model::Site;

/// The site with its fences drawn: the site itself when no body has one (nothing is
/// copied), else a copy with them drawn.
pub fn drawn<'s>(site: &'s Site, strings: &Strings) -> Cow<'s, Site> {
    let any = site.languages().any(|s| {
        s.journeys.iter().any(|j| !j.fences.is_empty())
            || s.personas.iter().any(|p| !p.fences.is_empty())
            || s.pages.iter().any(|p| !p.fences.is_empty())
    });
    if !any {
        return Cow::Borrowed(site);
    }
    let mut site = site.clone();
    draw(&mut site, strings);
    Cow::Owned(site)
}

/// Draws the fences of every body of `site` and its translations in place; each
/// fence is drawn once and then forgotten.
pub fn draw(site: &mut Site, strings: &Strings) {
    let labels: BTreeMap<String, Labels> = site
        .config
        .all_languages()
        .into_iter()
        .map(|lang| {
            let words = strings.labels(&lang);
            (lang, words)
        })
        .collect();
    // Every body is written in one of the site's languages; English words otherwise.
    let english = strings.labels("en");
    let words = |lang: &str| labels.get(lang).unwrap_or(&english);
    draw_one(site, &words);
    for translation in &mut site.translations {
        draw_one(translation, &words);
    }
}

/// Draws the fences of one language's view of a site, with `words(lang)` for a body
/// written in `lang`.
fn draw_one<'w>(site: &mut Site, words: &dyn Fn(&str) -> &'w Labels) {
    let Site {
        config,
        journeys,
        personas,
        pages,
        ..
    } = site;
    let config: &Config = config;
    for j in journeys.iter_mut().filter(|j| !j.fences.is_empty()) {
        let labels = words(&j.lang);
        let fences = std::mem::take(&mut j.fences);
        j.body_html = draw_fences(&j.body_html, &fences, config, labels);
        let in_sections = j.stages.iter().any(|s| {
            s.section_html
                .as_ref()
                .is_some_and(|h| fences.iter().any(|f| h.as_str().contains(&f.token)))
        });
        if in_sections {
            // The stages are shared with the other views of this version; this one
            // gets its own copy.
            for stage in Arc::make_mut(&mut j.stages) {
                if let Some(html) = &stage.section_html {
                    stage.section_html = Some(draw_fences(html, &fences, config, labels));
                }
            }
        }
    }
    for p in personas.iter_mut().filter(|p| !p.fences.is_empty()) {
        let labels = words(&p.lang);
        let fences = std::mem::take(&mut p.fences);
        p.body_html = draw_fences(&p.body_html, &fences, config, labels);
    }
    for p in pages.iter_mut().filter(|p| !p.fences.is_empty()) {
        let labels = words(&p.lang);
        let fences = std::mem::take(&mut p.fences);
        p.body_html = draw_fences(&p.body_html, &fences, config, labels);
    }
}
