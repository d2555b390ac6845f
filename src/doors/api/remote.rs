//! The remote collective: sync reports, remote settings, registration and keys.

use super::*;

/// `sync`: what the pull and the push each did.
pub fn synced(pull: &PullReport, push: &PushReport) -> Value {
    #[derive(Serialize)]
    struct Synced<'a> {
        pull: &'a PullReport,
        push: &'a PushReport,
    }
    to_value(&Synced { pull, push })
}

/// `remote set`: the URL as saved.
pub fn remote_set(url: &str) -> Value {
    #[derive(Serialize)]
    struct RemoteSet<'a> {
        url: &'a str,
    }
    to_value(&RemoteSet { url })
}

/// `remote show`: the remote, its key's prefix (never the key) and where the key came from,
/// and how many experiences are linked to it, by state.
pub fn remote_show(s: &RemoteSettings, links: &HashMap<String, i64>) -> Value {
    #[derive(Serialize)]
    struct RemoteShow<'a> {
        url: &'a str,
        api_key: Option<String>,
        api_key_source: Option<&'static str>,
        experiences: &'a HashMap<String, i64>,
    }
    to_value(&RemoteShow {
        url: &s.url,
        api_key: s.api_key.as_deref().map(key_prefix),
        api_key_source: s.key_source,
        experiences: links,
    })
}

/// `agent register`: who the remote registered (its `id` and `name` as it answered), the
/// key's prefix and where the key was saved.
pub fn agent_registered(r: &RemoteRegistration) -> Value {
    #[derive(Serialize)]
    struct Registered<'a> {
        id: &'a Value,
        name: &'a Value,
        username: &'a str,
        api_key_prefix: &'a str,
        saved_to: &'a Path,
    }
    to_value(&Registered {
        id: &r.id,
        name: &r.name,
        username: &r.username,
        api_key_prefix: &r.api_key_prefix,
        saved_to: &r.saved_to,
    })
}

/// `agent rotate-key`: the new key's prefix and where it was saved.
pub fn key_saved(rotated: &RotatedKey) -> Value {
    #[derive(Serialize)]
    struct KeySaved<'a> {
        api_key_prefix: &'a str,
        saved_to: &'a Path,
    }
    to_value(&KeySaved {
        api_key_prefix: &rotated.api_key_prefix,
        saved_to: &rotated.saved_to,
    })
}
