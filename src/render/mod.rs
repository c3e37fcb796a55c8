//! Site → output files: a typed view model per page kind, rendered with the theme's
//! Tera templates, in parallel, in a fixed order.
//!
//! Every link is relative (`root` is `../` per level), so the site works under any
//! sub-path and from any static server. Only `sitemap.xml` and canonical URLs use
//! `base_url`.

pub mod bodies;
pub mod csv;
pub mod data;
mod flat;
pub mod incremental;
pub mod portfolio;
pub mod search;
pub mod theme;
pub mod views;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Site;
use crate::write::{Contents, OutputFile};
use portfolio::Portfolio;
use theme::Theme;
use views::{Base, SiteView};

/// What `data/journeys.json` promises ([`data::SCHEMA_VERSION`]).
pub const DATA_SCHEMA_VERSION: u32 = data::SCHEMA_VERSION;

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
    Changes,
    NotFound,
}

impl Job<'_> {
    /// Whether the page grows with the portfolio: a list of every journey, pain point
    /// or opportunity, or of the journeys with a tag.
    fn lists_the_portfolio(&self) -> bool {
        matches!(
            self,
            Job::Journeys | Job::Pains | Job::Opportunities | Job::Tag(_)
        )
    }

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
            Job::Changes => "changes/".into(),
        }
    }
}

/// Renders the whole site into memory.
pub fn site(site: &Site, sources: &Sources, diags: &mut Diagnostics) -> Result<Vec<OutputFile>> {
    let theme = theme::load(sources, &site.config, diags)?;
    let parts = parts(site, sources, &theme, &|_| true, diags)?;
    let mut files: Vec<OutputFile> = parts.files.into_iter().flat_map(|(_, f)| f).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Where rendered files go as soon as they are made: [`site_into`] writes each page
/// into it (as it renders) from the thread that renders it, and hands it the page's
/// map or index.
pub type Emit<'e> = dyn crate::write::Sink + 'e;

/// Renders the whole site, handing the files to `emit` as they are made instead of
/// keeping them: a build holds only the pages being rendered, not the whole output.
pub fn site_into(
    site: &Site,
    sources: &Sources,
    emit: &Emit<'_>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let theme = theme::load(sources, &site.config, diags)?;
    render_parts(site, sources, &theme, &|_| true, Some(emit), diags)?;
    Ok(())
}

/// Writes a data file (`data/journeys.json`, a CSV, the sitemap) at the path it is
/// given (which its errors name).
type MakeData<'a> = dyn Fn(&str, &mut dyn std::io::Write) -> Result<()> + Sync + 'a;

/// A job's files: those made whole, and the paths of those written as they were made.
type Made = (Vec<OutputFile>, Vec<String>);

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
/// Each language has its own tree of pages (the site's language at the root, another
/// under `<lang>/`): a journey, persona or free page only in the languages it is
/// written in, the pages that gather content in every language. The 404 page and the
/// static files are shared, at the root.
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
    render_parts(site, sources, theme, select, None, diags)
}

/// [`parts`], with the files handed to `emit` when there is one (their keys still
/// listed, their lists in [`Parts::files`] left empty).
fn render_parts(
    site: &Site,
    sources: &Sources,
    theme: &Theme,
    select: &(dyn Fn(&str) -> bool + Sync),
    emit: Option<&Emit<'_>>,
    diags: &mut Diagnostics,
) -> Result<Parts> {
    let drawn = bodies::drawn(site, &theme.strings);
    let site: &Site = &drawn;
    let strips = Lang::strips(site, theme);
    let langs = Lang::all(site, &strips, theme);
    // A journey's card is on its own page, the overview, the journey list, and its
    // tag and persona pages: its strip is drawn once, here, outside the page jobs.
    // Then every language's portfolio is gathered (the job list needs its channels
    // and tags); the languages side by side.
    langs.par_iter().for_each(|lang| {
        lang.labels.draw_all(lang.site);
        lang.gathered.get();
    });
    let jobs = page_jobs(&langs);
    let mut keys: Vec<String> = jobs
        .iter()
        .map(|(lang, job)| format!("{}{}", lang.prefix, job.key()))
        .collect();
    let all_keys: std::collections::BTreeSet<&str> = keys.iter().map(String::as_str).collect();
    let chosen: Vec<(String, &(&Lang<'_>, Job<'_>))> = jobs
        .iter()
        .zip(&keys)
        .filter(|(_, key)| select(key))
        .map(|(job, key)| (key.clone(), job))
        .collect();
    // With an `emit`, a page's files leave as soon as it is rendered (a page is written
    // as it renders); only their paths stay, for the check of static files below.
    let hand_over = |made: Made| -> Result<(Vec<OutputFile>, Vec<String>)> {
        let (made, mut written) = made;
        match emit {
            Some(emit) => {
                emit.files(&made)?;
                written.extend(made.into_iter().map(|f| f.path));
                Ok((Vec::new(), written))
            }
            None => Ok((made, written)),
        }
    };
    // The data files, each made on a core of its own, alongside the pages.
    let wanted = data_files(site, &langs, &jobs, theme);
    let chosen_data: Vec<&(String, Box<MakeData<'_>>)> =
        wanted.iter().filter(|(key, _)| select(key)).collect();
    let render_page = |(_, (lang, job)): &(String, &(&Lang<'_>, Job<'_>))| {
        let alternates = alternates(site, &langs, lang, job, &all_keys);
        hand_over(render_job(job, lang, alternates, theme, emit)?)
    };
    let make_data = |(key, make): &&(String, Box<MakeData<'_>>)| {
        let mut made = (Vec::new(), Vec::new());
        make_file(emit, key.clone(), &mut |out| make(key, out), &mut made)?;
        Ok(made)
    };
    type Done = Vec<Result<(Vec<OutputFile>, Vec<String>)>>;
    let (rendered, made): (Done, Done) = rayon::join(
        || chosen.par_iter().map(render_page).collect(),
        || chosen_data.par_iter().map(make_data).collect(),
    );
    let mut files = Vec::new();
    let mut emitted: Vec<String> = Vec::new();
    for ((key, _), r) in chosen.into_iter().zip(rendered) {
        let (kept, paths) = r?;
        files.push((key, kept));
        emitted.extend(paths);
    }
    for ((key, _), r) in chosen_data.into_iter().zip(made) {
        let (kept, paths) = r?;
        files.push((key.clone(), kept));
        emitted.extend(paths);
    }
    keys.extend(wanted.iter().map(|(key, _)| key.clone()));

    keys.push(STATIC_KEY.to_string());
    if select(STATIC_KEY) {
        let generated: std::collections::BTreeSet<&str> = files
            .iter()
            .flat_map(|(_, f)| f.iter().map(|f| f.path.as_str()))
            .chain(emitted.iter().map(String::as_str))
            .collect();
        let assets = static_files(sources, theme, &generated, diags);
        let (kept, paths) = hand_over((assets, Vec::new()))?;
        files.push((STATIC_KEY.to_string(), kept));
        emitted.extend(paths);
    }
    keys.sort();
    Ok(Parts { keys, files })
}

/// Every page of every language, in the order pages are listed.
fn page_jobs<'a, 'l>(langs: &'l [Lang<'a>]) -> Vec<(&'l Lang<'a>, Job<'l>)> {
    let mut jobs = Vec::new();
    for lang in langs {
        let ls = lang.site;
        let portfolio = lang.gathered.get();
        let mut own: Vec<Job<'_>> = vec![
            Job::Home,
            Job::Journeys,
            Job::Personas,
            Job::Channels,
            Job::Pains,
            Job::Opportunities,
            Job::Tags,
            Job::Search,
        ];
        if lang.prefix.is_empty() {
            own.push(Job::NotFound);
        }
        if ls.recent.is_some() {
            own.push(Job::Changes);
        }
        let here = |l: &str| l == ls.lang;
        own.extend(
            ls.journeys
                .iter()
                .filter(|j| here(&j.lang))
                .map(Job::Journey),
        );
        own.extend(
            ls.personas
                .iter()
                .filter(|p| here(&p.lang))
                .map(Job::Persona),
        );
        own.extend(portfolio.channels.iter().map(Job::Channel));
        own.extend(portfolio.tag_pages.iter().map(Job::Tag));
        own.extend(ls.pages.iter().filter(|p| here(&p.lang)).map(Job::Page));
        jobs.extend(own.into_iter().map(|job| (lang, job)));
    }
    jobs
}

/// The data files of the site, by output path, each with the function that writes it:
/// the sitemap (with a `base_url`), and per language `data/journeys.json` and the
/// pains and opportunities CSVs.
fn data_files<'a>(
    site: &'a Site,
    langs: &'a [Lang<'a>],
    jobs: &'a [(&'a Lang<'a>, Job<'a>)],
    theme: &'a Theme,
) -> Vec<(String, Box<MakeData<'a>>)> {
    let mut wanted: Vec<(String, Box<MakeData<'a>>)> = Vec::new();
    if let Some(base) = &site.config.base_url {
        wanted.push((
            "sitemap.xml".into(),
            Box::new(move |_, out| {
                let urls: Vec<String> = jobs
                    .iter()
                    .filter(|(_, j)| !matches!(j, Job::NotFound | Job::Search))
                    .map(|(lang, j)| format!("{base}{}{}", lang.prefix, j.dir()))
                    .collect();
                let mut ctx = tera::Context::new();
                ctx.insert("urls", &urls);
                render_to(theme, "sitemap.xml", &ctx, out)
            }),
        ));
    }
    for lang in langs {
        let prefix = &lang.prefix;
        wanted.push((
            format!("{prefix}data/journeys.json"),
            Box::new(move |path, out| {
                write_data_json(lang.site, out).map_err(|e| Error::io(path, e))
            }),
        ));
        wanted.push((
            format!("{prefix}{}", portfolio::PAINS_CSV),
            Box::new(move |path, out| {
                let csv = portfolio::pains_csv(&lang.gathered.get().pains)?;
                out.write_all(&csv).map_err(|e| Error::io(path, e))
            }),
        ));
        wanted.push((
            format!("{prefix}{}", portfolio::OPPORTUNITIES_CSV),
            Box::new(move |path, out| {
                let csv = portfolio::opportunities_csv(&lang.gathered.get().opportunities)?;
                out.write_all(&csv).map_err(|e| Error::io(path, e))
            }),
        ));
    }
    wanted
}

/// The theme's assets and the site's static files. Generated pages and data win over a
/// static file of the same name (a warning says so); a static file may replace a theme
/// asset (that is how a site restyles `assets/style.css`).
fn static_files(
    sources: &Sources,
    theme: &Theme,
    generated: &std::collections::BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
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
    assets
}

/// What every page of one language shares.
struct Lang<'a> {
    /// The site in this language.
    site: &'a Site,
    /// Its output folder: `""` or `es/`.
    prefix: String,
    /// The site as templates see it (`site`), made once: Tera 2 values are shared, not
    /// copied, by every page's context.
    view: tera::Value,
    gathered: Gathered<'a>,
    /// The words of diagrams, and the card strips (drawn once).
    labels: &'a views::CardStrips,
    /// The strings, as templates see them (`t`).
    strings: tera::Value,
}

impl<'a> Lang<'a> {
    /// The words of `cxmap diff` statements in this language.
    fn words(&self) -> crate::diff::Words {
        crate::diff::Words::for_language(self.gathered.strings, &self.site.lang)
    }

    fn new(site: &Site, ls: &'a Site, strips: &'a views::CardStrips, theme: &'a Theme) -> Self {
        Lang {
            site: ls,
            prefix: site.lang_dir(&ls.lang),
            view: tera::Value::from_serializable(&SiteView::new(ls, &theme.strings)),
            gathered: Gathered::new(ls, &theme.strings, strips),
            labels: strips,
            strings: theme.strings.value(&ls.lang),
        }
    }

    /// Every language of `site`, with the diagram words and card strips of each (from
    /// [`Lang::strips`]).
    fn all(site: &'a Site, strips: &'a [views::CardStrips], theme: &'a Theme) -> Vec<Self> {
        site.languages()
            .zip(strips)
            .map(|(ls, st)| Lang::new(site, ls, st, theme))
            .collect()
    }

    /// The diagram words of every language of `site`, each with room for its card
    /// strips.
    fn strips(site: &Site, theme: &Theme) -> Vec<views::CardStrips> {
        site.languages()
            .map(|ls| views::CardStrips::new(theme.strings.labels(&ls.lang)))
            .collect()
    }
}

/// The page of `job` in every language, for the switcher: the same page where it
/// exists, else that language's home page. Empty for a site with one language.
fn alternates(
    site: &Site,
    langs: &[Lang<'_>],
    lang: &Lang<'_>,
    job: &Job<'_>,
    keys: &std::collections::BTreeSet<&str>,
) -> Vec<views::Alternate> {
    if langs.len() < 2 || matches!(job, Job::NotFound) {
        return Vec::new();
    }
    let dir = job.dir();
    let top = "../".repeat(dir.matches('/').count() + lang.prefix.matches('/').count());
    langs
        .iter()
        .map(|other| {
            let key = format!("{}{}", other.prefix, job.key());
            let exists = keys.contains(key.as_str());
            let target = if exists {
                format!("{}{dir}", other.prefix)
            } else {
                other.prefix.clone()
            };
            views::Alternate {
                lang: other.site.lang.clone(),
                name: other
                    .strings
                    .get_from_path("language.name")
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_else(|| other.site.lang.clone()),
                url: format!("{top}{target}index.html"),
                absolute_url: site
                    .config
                    .base_url
                    .as_ref()
                    .filter(|_| exists)
                    .map(|b| format!("{b}{target}")),
                exists,
                current: other.site.lang == lang.site.lang,
            }
        })
        .collect()
}

/// Renders the pages of the journeys `ids` (with their maps) in every language they
/// are written in, and nothing else: not the pages that gather every journey. `serve`
/// shows an edited journey with it first and renders the rest after. Keys and files as
/// in [`Parts::files`]; an id that is not in the site is skipped.
pub fn journey_pages(
    site: &Site,
    theme: &Theme,
    ids: &[&crate::model::JourneyId],
) -> Result<Vec<(String, Vec<OutputFile>)>> {
    let drawn = bodies::drawn(site, &theme.strings);
    let site: &Site = &drawn;
    let strips = Lang::strips(site, theme);
    let langs = Lang::all(site, &strips, theme);
    // The language switcher only asks which languages have the same journey page.
    let pages: Vec<String> = langs
        .iter()
        .flat_map(|lang| {
            lang.site
                .journeys
                .iter()
                .filter(|j| j.lang == lang.site.lang)
                .map(|j| format!("{}{}", lang.prefix, Job::Journey(j).key()))
        })
        .collect();
    let keys: std::collections::BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for lang in &langs {
        for id in ids {
            let Some(j) = lang.site.journey(id).filter(|j| j.lang == lang.site.lang) else {
                continue;
            };
            let job = Job::Journey(j);
            let alternates = alternates(site, &langs, lang, &job, &keys);
            let (files, _) = render_job(&job, lang, alternates, theme, None)?;
            out.push((format!("{}{}", lang.prefix, job.key()), files));
        }
    }
    Ok(out)
}

/// The portfolio, gathered the first time a page asks for it.
struct Gathered<'a> {
    site: &'a Site,
    strings: &'a crate::i18n::Strings,
    strips: &'a views::CardStrips,
    cell: std::sync::OnceLock<Portfolio<'a>>,
}

impl<'a> Gathered<'a> {
    fn new(
        site: &'a Site,
        strings: &'a crate::i18n::Strings,
        strips: &'a views::CardStrips,
    ) -> Self {
        Gathered {
            site,
            strings,
            strips,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> &Portfolio<'a> {
        self.cell
            .get_or_init(|| portfolio::gather(self.site, self.strings, self.strips))
    }
}

/// Renders the page of `job` with its map or index: into `sink` as it renders when
/// there is one (large pages are never held whole), else into memory.
fn render_job(
    job: &Job<'_>,
    lang: &Lang<'_>,
    alternates: Vec<views::Alternate>,
    theme: &Theme,
    sink: Option<&Emit<'_>>,
) -> Result<Made> {
    let site = lang.site;
    let dir = job.dir();
    let mut base = Base::new(site, &lang.prefix, &dir);
    base.languages = alternates;
    if matches!(job, Job::NotFound) {
        // A server returns the 404 page at any depth, where relative links break. With
        // a `base_url` its links start from that URL's path; without one they stay
        // relative, right for missing pages at the top of the site.
        base.canonical_url = None;
        base.nav_current.clear();
        if let Some(url) = &site.config.base_url {
            base.root = url_path(url);
            base.top = base.root.clone();
        }
    }
    let out_dir = format!("{}{dir}", lang.prefix);
    let mut ctx = tera::Context::new();
    let mut made: Made = (Vec::new(), Vec::new());
    let template = page_view(job, lang, &out_dir, sink, &mut ctx, &mut made)?;
    ctx.insert_value("site", lang.view.clone());
    ctx.insert("base", &base);
    ctx.insert_value("t", lang.strings.clone());
    let path = if matches!(job, Job::NotFound) {
        "404.html".to_string()
    } else {
        format!("{out_dir}index.html")
    };
    // A page of a few kilobytes is made whole and written at once (writing it piece by
    // piece costs more); the pages that list the whole portfolio are written as they
    // render.
    let sink = sink.filter(|_| job.lists_the_portfolio());
    make_file(
        sink,
        path,
        &mut |out| render_to(theme, template, &ctx, out),
        &mut made,
    )?;
    Ok(made)
}

/// What a page shows: its view models put into `ctx`, and files of its own beside it
/// (a journey's `map.svg`, the search index) into `made`; the name of its template.
fn page_view(
    job: &Job<'_>,
    lang: &Lang<'_>,
    out_dir: &str,
    sink: Option<&Emit<'_>>,
    ctx: &mut tera::Context,
    made: &mut Made,
) -> Result<&'static str> {
    let site = lang.site;
    let labels = lang.labels;
    let gathered = &lang.gathered;
    let template = match job {
        Job::Home => {
            ctx.insert(
                "home",
                &views::home(site, labels, portfolio::tag_counts(site)),
            );
            "index.html"
        }
        Job::Journeys => {
            ctx.insert(
                "journeys",
                &site
                    .journeys
                    .iter()
                    .map(|j| views::JourneyCard::new(site, j, labels))
                    .collect::<Vec<_>>(),
            );
            "journeys.html"
        }
        Job::Journey(j) => {
            let d = diagram::journey(j, &site.config, labels);
            let svg = d.as_ref().map(diagram::svg::write);
            if let Some(svg) = &svg {
                let standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
                made.0
                    .push(OutputFile::bytes(format!("{out_dir}map.svg"), standalone));
            }
            let mut view = views::JourneyView::new(site, j, svg, labels);
            view.evolution = evolution(j, lang);
            ctx.insert("journey", &view);
            "journey.html"
        }
        Job::Personas => {
            ctx.insert(
                "personas",
                &site
                    .personas
                    .iter()
                    .map(|p| views::PersonaCard::new(site, p))
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
            let path = format!("{out_dir}index.js");
            let failed = |e| Error::io(&path, e);
            let mut write =
                |out: &mut dyn std::io::Write| search::write_script(site, out).map_err(failed);
            make_file(sink, path.clone(), &mut write, made)?;
            "search.html"
        }
        Job::Changes => {
            let words = lang.words();
            let q = |s: &str| words.quote(s);
            let describe = |s: &crate::diff::Statement<'_>| match s {
                crate::diff::Statement::Journey(c) => c.describe_in(&words, &q),
                crate::diff::Statement::Persona(c) => c.describe_in(&words, &q),
            };
            ctx.insert("changes", &views::recent(site, &describe));
            "changes.html"
        }
        Job::NotFound => "404.html",
    };
    Ok(template)
}

/// Makes the file at `path` with `write`: into `sink` as it is written when there is
/// one (its path goes into `made.1`), else whole into memory (`made.0`).
fn make_file(
    sink: Option<&Emit<'_>>,
    path: String,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> Result<()>,
    made: &mut Made,
) -> Result<()> {
    match sink {
        Some(sink) => {
            sink.stream(&path, write)?;
            made.1.push(path);
        }
        None => {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            made.0.push(OutputFile::bytes(path, bytes));
        }
    }
    Ok(())
}

/// The chart of a journey's emotion now and at its earlier commits, when it has them.
fn evolution(j: &crate::model::Journey, lang: &Lang<'_>) -> Option<crate::html::Html> {
    if j.earlier.is_empty() {
        return None;
    }
    let labels = lang.labels;
    let now = diagram::evolution::Version {
        label: lang
            .strings
            .get_from_path("history.now")
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        journey: j,
    };
    // Oldest first, as the chart reads from left to right in its legend.
    let earlier: Vec<diagram::evolution::Version<'_>> = j
        .earlier
        .iter()
        .rev()
        .map(|e| diagram::evolution::Version {
            label: format!("{} · {}", labels.date(e.change.date), e.change.short),
            journey: &e.journey,
        })
        .collect();
    diagram::evolution(&now, &earlier, labels)
        .map(|d| crate::html::Html::from_trusted(diagram::svg::write(&d)))
}

/// The path of an absolute URL, `/`-terminated (`https://x.com/cx/` → `/cx/`).
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Renders `template` into `out`.
fn render_to(
    theme: &Theme,
    template: &str,
    ctx: &tera::Context,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    theme
        .tera
        .render_to(template, ctx, out)
        .map_err(|e| Error::Template {
            name: template.to_string(),
            message: theme::error_chain(&e),
        })
}

/// The whole model as JSON (`data/journeys.json`, and `cxmap export --format json`),
/// compact: it is for programs, and a large portfolio's file is half the size.
pub fn data_json(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_data_json(site, &mut out);
    out
}

/// [`data_json`], into `out` as it is serialized.
pub fn write_data_json(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json_script_safe(&data::File::new(site), &mut *out)?;
    out.write_all(b"\n")
}

/// `value` as JSON with `<`, `>` and `&` written as `\u` escapes, straight into one
/// buffer. They only occur inside JSON strings, so the value is the same, and the text
/// is safe to inline in a page or load as a script (`</script>` can never close a
/// script element).
pub fn json_script_safe<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    // Serializing the model (strings, numbers, string-keyed maps) into memory cannot
    // fail.
    let _ = write_json_script_safe(value, &mut out);
    out
}

/// [`json_script_safe`], into `out` as it is serialized.
pub fn write_json_script_safe<T: serde::Serialize>(
    value: &T,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    // serde_json writes a few bytes at a time: they are gathered before the escaping
    // looks at them.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, ScriptSafe(out));
    serde_json::to_writer(&mut buffered, value).map_err(std::io::Error::from)?;
    std::io::Write::flush(&mut buffered)
}

/// A writer that escapes `<`, `>` and `&` as JSON `\u` escapes as bytes come in.
struct ScriptSafe<W>(W);

impl<W: std::io::Write> std::io::Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut done = 0;
        for i in memchr::memchr3_iter(b'<', b'>', b'&', buf) {
            let escape: &[u8] = match buf[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            };
            self.0.write_all(&buf[done..i])?;
            self.0.write_all(escape)?;
            done = i + 1;
        }
        self.0.write_all(&buf[done..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
