//! Hybrid search: a vector arm (sqlite-vec, exact) and a keyword arm (FTS5 bm25), each taking
//! CANDIDATES_PER_LIMIT × limit candidates among the eligible experiences, fused by their
//! standardised scores (`fusion`), then ranked by relevance × a quality factor in which unrated
//! experiences are neutral (the docs' promise; `quality::rank_factor`).
//!
//! The parts, each pure or reaching the store only through `crate::store`: [`query`] turns
//! what was typed into the keyword arm's terms, [`keyword`] and [`vector_scan`] are the
//! two arms, and [`fusion`] merges them.

mod eligible;
pub mod fusion;
pub mod keyword;
pub mod query;
pub mod vector_scan;
