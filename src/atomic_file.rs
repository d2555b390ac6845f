//! Writing a file all at once: readers see the old file or the whole new one, never half,
//! and a write that fails leaves nothing behind.
//!
//! The content goes to a temporary file beside the destination (the same folder, so the
//! final rename stays on one file system and is atomic), which is flushed to disk and then
//! renamed over the destination. The temporary name is unique per writer (`tempfile`), so
//! two processes writing the same destination at once never write into one file; a fixed
//! name (`export.partial`) let them interleave and rename each other's half-written file.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Who may read the finished file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// As `File::create` makes it: everyone the umask allows.
    Default,
    /// The user alone (mode 600), for files that may hold a secret.
    Owner,
}

/// A file being written to a temporary name beside its destination.
pub struct AtomicFile {
    temp: NamedTempFile,
    dest: PathBuf,
}

impl AtomicFile {
    /// Starts writing `dest`. Dropped without [`AtomicFile::commit`], it removes its
    /// temporary file and leaves `dest` as it was.
    pub fn create(dest: &Path, readers: Readers) -> io::Result<AtomicFile> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = dest
            .file_name()
            .map(|n| format!(".{}.", n.to_string_lossy()))
            .unwrap_or_else(|| ".".into());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&name).suffix(".partial");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = match readers {
                Readers::Default => 0o666,
                Readers::Owner => 0o600,
            };
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = readers;
        Ok(AtomicFile {
            temp: builder.tempfile_in(dir)?,
            dest: dest.to_path_buf(),
        })
    }

    /// The temporary file, to write the content into.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// The temporary file's path, for a writer that opens the file itself (SQLite's backup).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// Flushes the content to disk and puts the file in place of the destination.
    pub fn commit(self) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        self.temp.persist(&self.dest).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_destination_changes_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        std::fs::write(&dest, "old").unwrap();
        let mut a = AtomicFile::create(&dest, Readers::Default).unwrap();
        let mut b = AtomicFile::create(&dest, Readers::Owner).unwrap();
        assert_ne!(
            a.temp_path(),
            b.temp_path(),
            "two writers, two temporary files"
        );
        a.file().write_all(b"from a").unwrap();
        b.file().write_all(b"from b").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        a.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "from a");
        drop(b);
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "from a");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn an_owner_only_file_is_mode_600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("config.toml");
        let f = AtomicFile::create(&dest, Readers::Owner).unwrap();
        f.commit().unwrap();
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
