//! Finding the model files: an explicit directory, an imported copy, the Hugging Face
//! cache, or a download (unless offline). Never hangs: a download first probes the
//! endpoint with a short TCP connect, because hf-hub's ureq client has no usable timeout.

use std::collections::HashMap;
use std::io::Read;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

use crate::config::{DEFAULT_MODEL_ID, env_flag};
use crate::error::{Error, Result};

/// The files a model directory must hold.
pub const CONFIG_FILE: &str = "config.json";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const WEIGHTS_FILE: &str = "model.safetensors";
const MODEL_FILES: [&str; 3] = [CONFIG_FILE, TOKENIZER_FILE, WEIGHTS_FILE];

/// How long a download may take to find out that the hub is unreachable.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

const HINT: &str = "run `plurum model fetch`, or `plurum model import DIR`, or pass --model-dir \
                    (keyword search works without a model)";

#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Hugging Face model id.
    pub model_id: String,
    /// An explicit model directory (--model-dir / PLURUM_MODEL_DIR / config file).
    pub model_dir: Option<PathBuf>,
    /// Where `plurum model import` puts models: `<root>/<id with / replaced by -->`.
    pub imported_root: PathBuf,
    /// Never touch the network. `HF_HUB_OFFLINE=1` and `PLURUM_OFFLINE=1` count too.
    pub offline: bool,
    /// Draw a progress bar while downloading.
    pub progress: bool,
    /// An embedding endpoint: when set, it makes the vectors and no local model is loaded.
    pub endpoint: Option<super::EndpointOptions>,
    /// Put before every query / document, over the model's own prompts (config file).
    pub query_prefix: Option<String>,
    pub document_prefix: Option<String>,
}

impl ModelOptions {
    /// The default model, nothing explicit, online, no progress bar.
    pub fn new(imported_root: impl Into<PathBuf>) -> ModelOptions {
        ModelOptions {
            model_id: DEFAULT_MODEL_ID.to_string(),
            model_dir: None,
            imported_root: imported_root.into(),
            offline: false,
            progress: false,
            endpoint: None,
            query_prefix: None,
            document_prefix: None,
        }
    }

    /// The folder an import of this model goes to.
    pub fn imported_dir(&self) -> PathBuf {
        self.imported_root.join(self.model_id.replace('/', "--"))
    }

    /// Whether downloads are off: `offline`, or `HF_HUB_OFFLINE` / `PLURUM_OFFLINE` set.
    pub fn is_offline(&self) -> bool {
        self.offline || env_flag("HF_HUB_OFFLINE") || env_flag("PLURUM_OFFLINE")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelSource {
    Explicit,
    Imported,
    HfCache,
    Downloaded,
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelSource::Explicit => "explicit directory",
            ModelSource::Imported => "imported",
            ModelSource::HfCache => "Hugging Face cache",
            ModelSource::Downloaded => "downloaded",
        })
    }
}

#[derive(Debug, Clone)]
pub struct ResolvedModel {
    pub model_id: String,
    pub source: ModelSource,
    pub dir: PathBuf,
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    pub weights: PathBuf,
}

impl ResolvedModel {
    fn in_dir(model_id: &str, source: ModelSource, dir: &Path) -> ResolvedModel {
        ResolvedModel {
            model_id: model_id.to_string(),
            source,
            dir: dir.to_path_buf(),
            config: dir.join(CONFIG_FILE),
            tokenizer: dir.join(TOKENIZER_FILE),
            weights: dir.join(WEIGHTS_FILE),
        }
    }
}

/// Why no model could be had, with a one-line hint on how to fix it (shown to users).
#[derive(Debug, Clone)]
pub struct Unavailable {
    pub reason: String,
    pub hint: String,
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}; {}", self.reason, self.hint)
    }
}

impl std::error::Error for Unavailable {}

fn unavailable(reason: impl Into<String>) -> Unavailable {
    Unavailable {
        reason: reason.into(),
        hint: HINT.to_string(),
    }
}

/// Checks that `dir` holds the three model files; the error names what is missing.
pub fn check_model_dir(dir: &Path) -> std::result::Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("model directory {} does not exist", dir.display()));
    }
    let missing: Vec<&str> = MODEL_FILES
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "model directory {} has no {} (it needs {})",
            dir.display(),
            missing.join(", "),
            MODEL_FILES.join(", ")
        ))
    }
}

/// The Hugging Face hub cache: `HF_HUB_CACHE`, else `HF_HOME/hub`, else
/// `$XDG_CACHE_HOME/huggingface/hub` or `~/.cache/huggingface/hub` (as huggingface_hub).
pub fn hf_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("HF_HUB_CACHE") {
        return Some(PathBuf::from(dir));
    }
    if let Some(home) = var("HF_HOME") {
        return Some(PathBuf::from(home).join("hub"));
    }
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().join(".cache")))?;
    Some(cache.join("huggingface").join("hub"))
}

/// The model's snapshot directory in a hub cache, if complete: the revision `refs/main`
/// points at, else the newest snapshot that has all three files.
pub fn find_in_hf_cache(hub_cache: &Path, model_id: &str) -> Option<PathBuf> {
    let repo = hub_cache.join(format!("models--{}", model_id.replace('/', "--")));
    let snapshots = repo.join("snapshots");
    if let Ok(rev) = std::fs::read_to_string(repo.join("refs").join("main")) {
        let dir = snapshots.join(rev.trim());
        if !rev.trim().is_empty() && check_model_dir(&dir).is_ok() {
            return Some(dir);
        }
    }
    let mut complete: Vec<(SystemTime, PathBuf)> = std::fs::read_dir(&snapshots)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| check_model_dir(p).is_ok())
        .map(|p| {
            let t = p
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (t, p)
        })
        .collect();
    complete.sort();
    complete.pop().map(|(_, p)| p)
}

/// Finds the model: explicit directory, imported copy, Hugging Face cache, then a download
/// unless offline. An explicit directory that is incomplete is an error, not skipped.
pub fn resolve(opts: &ModelOptions) -> std::result::Result<ResolvedModel, Unavailable> {
    resolve_with_cache(opts, hf_cache_dir().as_deref())
}

/// [`resolve`] with the hub cache given instead of read from the environment (tests).
pub fn resolve_with_cache(
    opts: &ModelOptions,
    hub_cache: Option<&Path>,
) -> std::result::Result<ResolvedModel, Unavailable> {
    let id = &opts.model_id;
    if let Some(dir) = &opts.model_dir {
        return match check_model_dir(dir) {
            Ok(()) => Ok(ResolvedModel::in_dir(id, ModelSource::Explicit, dir)),
            Err(why) => Err(Unavailable {
                reason: why,
                hint: "point --model-dir / PLURUM_MODEL_DIR at a directory with config.json, \
                       tokenizer.json and model.safetensors (scripts/fetch-model.sh makes one)"
                    .into(),
            }),
        };
    }
    let imported = opts.imported_dir();
    if check_model_dir(&imported).is_ok() {
        return Ok(ResolvedModel::in_dir(id, ModelSource::Imported, &imported));
    }
    if let Some(dir) = hub_cache.and_then(|c| find_in_hf_cache(c, id)) {
        return Ok(ResolvedModel::in_dir(id, ModelSource::HfCache, &dir));
    }
    if opts.is_offline() {
        return Err(unavailable(format!(
            "no local copy of the embedding model {id} and offline mode is on"
        )));
    }
    let Some(cache) = hub_cache else {
        return Err(unavailable(
            "no Hugging Face cache directory (set HF_HOME) to download the model into",
        ));
    };
    download(opts, cache)
        .map_err(|e| unavailable(format!("no local copy of the embedding model {id}: {e}")))
}

/// Downloads the model into the Hugging Face cache (`plurum model fetch`), whatever
/// explicit or imported copies exist. Files already in the cache are not fetched again.
pub fn fetch(opts: &ModelOptions) -> Result<ResolvedModel> {
    fetch_with_cache(opts, hf_cache_dir().as_deref())
}

/// [`fetch`] with the hub cache given instead of read from the environment.
pub fn fetch_with_cache(opts: &ModelOptions, hub_cache: Option<&Path>) -> Result<ResolvedModel> {
    if opts.is_offline() {
        return Err(Error::Remote(format!(
            "cannot download {}: offline mode is on (--offline, PLURUM_OFFLINE or HF_HUB_OFFLINE)",
            opts.model_id
        )));
    }
    let cache = hub_cache.ok_or_else(|| {
        Error::other("no Hugging Face cache directory: set HF_HOME or HF_HUB_CACHE")
    })?;
    download(opts, cache).map_err(Error::Remote)
}

/// The hub endpoint: `HF_ENDPOINT` or huggingface.co.
fn endpoint() -> String {
    std::env::var("HF_ENDPOINT")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().trim_end_matches('/').to_string())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
}

fn download(opts: &ModelOptions, cache: &Path) -> std::result::Result<ResolvedModel, String> {
    let endpoint = endpoint();
    probe(&endpoint, PROBE_TIMEOUT)?;
    let api = hf_hub::api::sync::ApiBuilder::from_cache(hf_hub::Cache::new(cache.to_path_buf()))
        .with_endpoint(endpoint.clone())
        .with_progress(opts.progress)
        .build()
        .map_err(|e| format!("cannot set up the download: {e}"))?;
    let repo = api.model(opts.model_id.clone());
    let mut dir = None;
    for file in MODEL_FILES {
        let path = repo
            .get(file)
            .map_err(|e| format!("downloading {file} from {endpoint} failed: {e}"))?;
        dir = path.parent().map(Path::to_path_buf);
    }
    // How the model is meant to be run, where its repository says (most have these files).
    for file in super::recipe::RECIPE_FILES {
        let _ = repo.get(file);
    }
    let dir = dir.expect("three files downloaded");
    check_model_dir(&dir)?;
    Ok(ResolvedModel::in_dir(
        &opts.model_id,
        ModelSource::Downloaded,
        &dir,
    ))
}

/// Splits `scheme://host[:port]/...` into host and port (443 for https, 80 for http).
fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
        return Some((host.to_string(), port.unwrap_or(default_port)));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None if !authority.is_empty() => Some((authority.to_string(), default_port)),
        None => None,
    }
}

/// Fails within `timeout` unless a TCP connection to the endpoint (or the proxy ureq will
/// use for it) can be opened. Name resolution runs on a helper thread because
/// getaddrinfo has no timeout of its own.
fn probe(endpoint: &str, timeout: Duration) -> std::result::Result<(), String> {
    // The same variables, in the same order, as ureq's proxy-from-env that hf-hub enables.
    let proxy = [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ]
    .iter()
    .find_map(|v| std::env::var(v).ok().filter(|v| !v.trim().is_empty()));
    let target = proxy.as_deref().unwrap_or(endpoint);
    let (host, port) =
        host_port(target).ok_or_else(|| format!("cannot parse the address {target}"))?;
    let deadline = Instant::now() + timeout;
    let (tx, rx) = std::sync::mpsc::channel();
    let lookup = host.clone();
    std::thread::spawn(move || {
        let _ = tx.send((lookup.as_str(), port).to_socket_addrs());
    });
    let addrs = match rx.recv_timeout(timeout) {
        Ok(Ok(addrs)) => addrs.collect::<Vec<_>>(),
        Ok(Err(e)) => return Err(format!("cannot resolve {host}: {e} (no network?)")),
        Err(_) => {
            return Err(format!(
                "cannot resolve {host} within {}s (no network?)",
                timeout.as_secs()
            ));
        }
    };
    let mut last = format!("{host} has no addresses");
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(_) => return Ok(()),
            Err(e) => last = format!("cannot connect to {host}:{port}: {e} (no network?)"),
        }
    }
    Err(last)
}

/// Validates `src` as a model directory (files present and loadable) and copies the three
/// files into `opts.imported_dir()`, atomically: into a temporary sibling, then renamed.
pub fn import(src: &Path, opts: &ModelOptions) -> Result<ResolvedModel> {
    check_model_dir(src).map_err(|message| Error::Invalid {
        message,
        field: Some("model_dir".into()),
    })?;
    // Loading proves the files are a usable model, not merely present.
    super::Embedder::load(&ResolvedModel::in_dir(
        &opts.model_id,
        ModelSource::Explicit,
        src,
    ))?;
    let dest = opts.imported_dir();
    let root = &opts.imported_root;
    std::fs::create_dir_all(root)?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = format!(
        "{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let tmp = root.join(format!(".{name}.import-{stamp}"));
    let result = (|| -> Result<()> {
        std::fs::create_dir(&tmp)?;
        // The weights, and the sentence-transformers files that say how to run them.
        let recipe = super::recipe::recipe_files(src);
        for file in MODEL_FILES
            .iter()
            .copied()
            .chain(recipe.iter().map(String::as_str))
        {
            if let Some(parent) = Path::new(file).parent() {
                std::fs::create_dir_all(tmp.join(parent))?;
            }
            std::fs::copy(src.join(file), tmp.join(file))?;
            std::fs::File::open(tmp.join(file))?.sync_all()?;
        }
        if dest.exists() {
            // A directory cannot be replaced by rename in one step: move the old one aside.
            let old = root.join(format!(".{name}.old-{stamp}"));
            std::fs::rename(&dest, &old)?;
            std::fs::rename(&tmp, &dest)?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&tmp, &dest)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result?;
    Ok(ResolvedModel::in_dir(
        &opts.model_id,
        ModelSource::Imported,
        &dest,
    ))
}

/// SHA-256 of the weights file, hex. Remembered per process by path, size and mtime,
/// so asking again is free.
pub fn weights_sha256(model: &ResolvedModel) -> Result<String> {
    type Key = (PathBuf, u64, SystemTime);
    static MEMO: Mutex<Option<HashMap<Key, String>>> = Mutex::new(None);
    let path = &model.weights;
    let meta = std::fs::metadata(path)?;
    let key = (
        std::fs::canonicalize(path)?,
        meta.len(),
        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    );
    if let Some(hit) = MEMO
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|m| m.get(&key))
    {
        return Ok(hit.clone());
    }
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    MEMO.lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(key, hex.clone());
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_endpoints() {
        assert_eq!(
            host_port("https://huggingface.co"),
            Some(("huggingface.co".into(), 443))
        );
        assert_eq!(
            host_port("http://127.0.0.1:8080/x"),
            Some(("127.0.0.1".into(), 8080))
        );
        assert_eq!(host_port("http://[::1]:9/"), Some(("::1".into(), 9)));
        assert_eq!(
            host_port("http://user:pw@proxy:3128"),
            Some(("proxy".into(), 3128))
        );
        assert_eq!(
            host_port("proxy.local:3128"),
            Some(("proxy.local".into(), 3128))
        );
    }
}
