//! Site → output files: a typed view model per page kind, rendered with the theme's
//! Tera templates, in parallel, in a fixed order.
//!
//! Every link is relative (`root` is `../` per level), so the site works under any
//! sub-path and from any static server. Only `sitemap.xml` and canonical URLs use
//! `base_url`.

pub mod incremental;
pub mod portfolio;
pub mod search;
pub mod theme;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Site;
use crate::write::{Contents, OutputFile};
use portfolio::Portfolio;
use theme::Theme;
use views::{Base, SiteView};

/// What `data/journeys.json` promises; raise it when a field changes meaning.
pub const DATA_SCHEMA_VERSION: u32 = 1;

/// One page to render: its output folder (`""` for the root) and what it shows.
enum Job<'a> {
    Home,
    Journeys,
    Journey(&'a crate::model::Journey),
    Personas,
    Persona(&'a crate::model::Persona),
    Channels,
    Channel(&'a portfolio::ChannelPage<'a>),
    Pains,
    Opportunities,
    Tags,
    Tag(&'a portfolio::TagPage),
    Page(&'a crate::model::Page),
    Search,
    NotFound,
}

impl Job<'_> {
    /// The path of the page, which names the job in [`Parts`].
    fn key(&self) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.dir()),
        }
    }

    /// Output folder, `/`-terminated, `""` for the root.
    fn dir(&self) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::Journeys => "journeys/".into(),
            Job::Journey(j) => format!("journeys/{}/", j.id.0),
            Job::Personas => "personas/".into(),
            Job::Channels => "channels/".into(),
            Job::Persona(p) => format!("personas/{}/", p.id.0),
            Job::Channel(c) => format!("channels/{}/", c.slug),
            Job::Pains => "pains/".into(),
            Job::Opportunities => "opportunities/".into(),
            Job::Tags => "tags/".into(),
            Job::Tag(t) => format!("tags/{}/", t.summary.slug),
            Job::Page(p) => format!("{}/", p.id),
            Job::Search => "search/".into(),
        }
    }
}

/// Renders the whole site.
pub fn site(site: &Site, sources: &Sources, diags: &mut Diagnostics) -> Result<Vec<OutputFile>> {
    let theme = theme::load(&sources.root, &site.config.theme, &sources.templates)?;
    let parts = parts(site, sources, &theme, &|_| true, diags)?;
    let mut files: Vec<OutputFile> = parts.files.into_iter().flat_map(|(_, f)| f).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The key of the group of theme assets and static files in [`Parts`].
pub const STATIC_KEY: &str = "static files";

/// The parts of a site that were asked for (see [`parts`]).
pub struct Parts {
    /// Every part the site has, asked for or not, sorted: the path of each page
    /// (`journeys/x/index.html`, `404.html`), of each data file (`data/journeys.json`,
    /// `sitemap.xml`…), and [`STATIC_KEY`] for theme assets and static files.
    pub keys: Vec<String>,
    /// The parts asked for, by key, with the files each makes (a journey page also
    /// makes its `map.svg`, the search page its index).
    pub files: Vec<(String, Vec<OutputFile>)>,
}

/// Renders the parts of the site whose key `select` accepts; the one list of what a
/// site has, for [`site`] (everything) and for `serve` (what an edit changed).
///
/// Static files give way to generated files of the same path (with a warning in
/// `diags`); that check sees only the generated files rendered in the same call.
pub fn parts(
    site: &Site,
    sources: &Sources,
    theme: &Theme,
    select: &(dyn Fn(&str) -> bool + Sync),
    diags: &mut Diagnostics,
) -> Result<Parts> {
    let site_view = SiteView::new(site);
    let labels = diagram::Labels::default();
    let gathered = Gathered::new(site);
    let portfolio = gathered.get();

    let mut jobs = vec![
        Job::Home,
        Job::Journeys,
        Job::Personas,
        Job::Channels,
        Job::Pains,
        Job::Opportunities,
        Job::Tags,
        Job::Search,
        Job::NotFound,
    ];
    jobs.extend(site.journeys.iter().map(Job::Journey));
    jobs.extend(site.personas.iter().map(Job::Persona));
    jobs.extend(portfolio.channels.iter().map(Job::Channel));
    jobs.extend(portfolio.tag_pages.iter().map(Job::Tag));
    jobs.extend(site.pages.iter().map(Job::Page));

    let mut keys: Vec<String> = jobs.iter().map(Job::key).collect();
    let chosen: Vec<(String, &Job<'_>)> = jobs
        .iter()
        .zip(&keys)
        .filter(|(_, key)| select(key))
        .map(|(job, key)| (key.clone(), job))
        .collect();
    let rendered: Vec<Result<Vec<OutputFile>>> = chosen
        .par_iter()
        .map(|(_, job)| render_job(job, site, &site_view, &gathered, theme, &labels))
        .collect();
    let mut files = Vec::new();
    for ((key, _), r) in chosen.into_iter().zip(rendered) {
        files.push((key, r?));
    }

    let mut data = |key: &str, make: &dyn Fn() -> Result<Vec<u8>>| -> Result<()> {
        keys.push(key.to_string());
        if select(key) {
            files.push((key.to_string(), vec![OutputFile::bytes(key, make()?)]));
        }
        Ok(())
    };
    if let Some(base) = &site.config.base_url {
        data("sitemap.xml", &|| {
            let urls: Vec<String> = jobs
                .iter()
                .filter(|j| !matches!(j, Job::NotFound | Job::Search))
                .map(|j| format!("{base}{}", j.dir()))
                .collect();
            let mut ctx = tera::Context::new();
            ctx.insert("urls", &urls);
            Ok(render(theme, "sitemap.xml", &ctx)?.into_bytes())
        })?;
    }
    data("data/journeys.json", &|| Ok(data_json(site)))?;
    data(portfolio::PAINS_CSV, &|| {
        portfolio::pains_csv(&portfolio.pains)
    })?;
    data(portfolio::OPPORTUNITIES_CSV, &|| {
        portfolio::opportunities_csv(&portfolio.opportunities)
    })?;

    keys.push(STATIC_KEY.to_string());
    if select(STATIC_KEY) {
        // Generated pages and data win over a static file of the same name; a static
        // file may replace a theme asset (that is how a site restyles
        // `assets/style.css`).
        let generated: std::collections::BTreeSet<&str> = files
            .iter()
            .flat_map(|(_, f)| f.iter().map(|f| f.path.as_str()))
            .collect();
        let mut assets: Vec<OutputFile> = theme
            .assets
            .iter()
            .map(|(path, bytes)| OutputFile::bytes(format!("assets/{path}"), bytes.clone()))
            .collect();
        for s in &sources.static_files {
            if generated.contains(s.rel.as_str()) {
                diags.push(
                    Diagnostic::warning(format!("static/{}", s.rel), format!("`{}` is a page cxmap generates; this file is not copied", s.rel))
                        .help("rename or move the file; to change a page, override its template in `templates/`"),
                );
                continue;
            }
            assets.retain(|a| a.path != s.rel);
            assets.push(OutputFile {
                path: s.rel.clone(),
                contents: Contents::Copy(s.abs.clone()),
            });
        }
        files.push((STATIC_KEY.to_string(), assets));
    }
    keys.sort();
    Ok(Parts { keys, files })
}

/// Renders the pages of the journeys `ids` (with their maps) and nothing else: not the
/// pages that gather every journey. `serve` shows an edited journey with it first and
/// renders the rest after. Keys and files as in [`Parts::files`]; an id that is not in
/// the site is skipped.
pub fn journey_pages(
    site: &Site,
    theme: &Theme,
    ids: &[&crate::model::JourneyId],
) -> Result<Vec<(String, Vec<OutputFile>)>> {
    let site_view = SiteView::new(site);
    let labels = diagram::Labels::default();
    let gathered = Gathered::new(site);
    ids.iter()
        .filter_map(|id| site.journey(id))
        .map(|j| {
            let job = Job::Journey(j);
            let files = render_job(&job, site, &site_view, &gathered, theme, &labels)?;
            Ok((job.key(), files))
        })
        .collect()
}

/// The portfolio, gathered the first time a page asks for it.
struct Gathered<'a> {
    site: &'a Site,
    cell: std::sync::OnceLock<Portfolio<'a>>,
}

impl<'a> Gathered<'a> {
    fn new(site: &'a Site) -> Self {
        Gathered {
            site,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> &Portfolio<'a> {
        self.cell.get_or_init(|| portfolio::gather(self.site))
    }
}

fn render_job(
    job: &Job<'_>,
    site: &Site,
    site_view: &SiteView<'_>,
    gathered: &Gathered<'_>,
    theme: &Theme,
    labels: &diagram::Labels,
) -> Result<Vec<OutputFile>> {
    let dir = job.dir();
    let mut base = Base::new(site, &dir);
    if matches!(job, Job::NotFound) {
        // A server returns the 404 page at any depth, where relative links break. With
        // a `base_url` its links start from that URL's path; without one they stay
        // relative, right for missing pages at the top of the site.
        base.canonical_url = None;
        base.nav_current.clear();
        if let Some(url) = &site.config.base_url {
            base.root = url_path(url);
        }
    }
    let mut ctx = tera::Context::new();
    let mut extra = Vec::new();
    let template = match job {
        Job::Home => {
            ctx.insert("home", &views::home(site));
            "index.html"
        }
        Job::Journeys => {
            ctx.insert(
                "journeys",
                &site
                    .journeys
                    .iter()
                    .map(|j| views::JourneyCard::new(site, j))
                    .collect::<Vec<_>>(),
            );
            "journeys.html"
        }
        Job::Journey(j) => {
            let d = diagram::journey(j, &site.config, labels);
            let svg = d.as_ref().map(diagram::svg::write);
            if let Some(svg) = &svg {
                let standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
                extra.push(OutputFile::bytes(format!("{dir}map.svg"), standalone));
            }
            ctx.insert("journey", &views::JourneyView::new(site, j, svg, labels));
            "journey.html"
        }
        Job::Personas => {
            ctx.insert(
                "personas",
                &site
                    .personas
                    .iter()
                    .map(views::PersonaCard::new)
                    .collect::<Vec<_>>(),
            );
            "personas.html"
        }
        Job::Persona(p) => {
            ctx.insert("persona", &views::PersonaView::new(site, p, labels));
            "persona.html"
        }
        Job::Page(p) => {
            ctx.insert("page", p);
            "page.html"
        }
        Job::Channels => {
            let heat = diagram::heatmap(site, labels)
                .map(|d| crate::html::Html::from_trusted(diagram::svg::write(&d)));
            ctx.insert("channels", &views::channels(site, heat));
            "channels.html"
        }
        Job::Channel(c) => {
            ctx.insert("channel", c);
            "channel.html"
        }
        Job::Pains => {
            ctx.insert("pains", &gathered.get().pains);
            "pains.html"
        }
        Job::Opportunities => {
            ctx.insert("opportunities", &gathered.get().opportunities);
            "opportunities.html"
        }
        Job::Tags => {
            ctx.insert("tags", &gathered.get().tags);
            "tags.html"
        }
        Job::Tag(t) => {
            ctx.insert("tag", &gathered.get().tag_view(t));
            "tag.html"
        }
        Job::Search => {
            let (json, script) = search::files(site);
            extra.push(OutputFile::bytes(format!("{dir}index.json"), json));
            extra.push(OutputFile::bytes(format!("{dir}index.js"), script));
            "search.html"
        }
        Job::NotFound => "404.html",
    };
    ctx.insert("site", site_view);
    ctx.insert("base", &base);
    let html = render(theme, template, &ctx)?;
    let path = if matches!(job, Job::NotFound) {
        "404.html".to_string()
    } else {
        format!("{dir}index.html")
    };
    extra.push(OutputFile::bytes(path, html));
    Ok(extra)
}

/// The path of an absolute URL, `/`-terminated (`https://x.com/cx/` → `/cx/`).
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

fn render(theme: &Theme, template: &str, ctx: &tera::Context) -> Result<String> {
    theme
        .tera
        .render(template, ctx)
        .map_err(|e| Error::Template {
            name: template.to_string(),
            message: theme::error_chain(&e),
        })
}

#[derive(Serialize)]
struct Data<'a> {
    schema_version: u32,
    title: &'a str,
    language: &'a str,
    #[serde(flatten)]
    site: &'a Site,
}

/// The whole model as JSON (`data/journeys.json`, and `cxmap export --format json`).
pub fn data_json(site: &Site) -> Vec<u8> {
    let data = Data {
        schema_version: DATA_SCHEMA_VERSION,
        title: &site.config.title,
        language: &site.config.language,
        site,
    };
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    let mut out = script_safe(&json);
    out.push('\n');
    out.into_bytes()
}

/// JSON with `<`, `>` and `&` written as `\\u` escapes. They only occur inside JSON
/// strings, so the value is the same, and the text is safe to inline in a page or load
/// as a script (`</script>` can never close a script element).
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut done = 0;
    for (at, c) in json.match_indices(['<', '>', '&']) {
        out.push_str(&json[done..at]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            _ => "\\u0026",
        });
        done = at + c.len();
    }
    out.push_str(&json[done..]);
    out
}
