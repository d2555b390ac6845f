//! Plain types and pure rules: what an experience, a session, a vote or an agent is, and
//! the rules about them that need nothing but their values (validation, ids, the quality
//! formula, the secret scan, limits). Nothing here reaches a store, a model or a network.

pub mod agent;
pub mod duplicates;
pub mod experience;
pub mod feedback;
pub mod fields;
pub mod ids;
pub mod keyword_tokens;
pub mod limits;
pub mod merge;
pub mod project;
pub mod quality;
pub mod search;
pub mod secrets;
pub mod session;
pub mod text;
