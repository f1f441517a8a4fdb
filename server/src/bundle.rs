//! The browser bundle (`/pkg`: the WASM, its JavaScript glue and the style sheet), served
//! precompressed. The WASM is most of what a first visit downloads, so it is compressed once, at
//! the highest brotli quality, rather than on every request at the lower quality on-the-fly
//! compression can afford.

use axum::http::{header, HeaderValue};
use leptos::config::LeptosOptions;
use std::{
    fs, io,
    path::{Path, PathBuf},
    time::SystemTime,
};
use tower_http::{services::ServeDir, set_header::SetResponseHeader};

/// File types worth compressing; everything else in `/pkg` is served as it is.
const COMPRESSIBLE: [&str; 4] = ["wasm", "js", "css", "map"];

/// The directory cargo-leptos writes the bundle to.
pub fn directory(options: &LeptosOptions) -> PathBuf {
    Path::new(&*options.site_root).join(&*options.site_pkg_dir)
}

/// Serves the bundle, choosing `name.br` or `name.gz` when the browser accepts it and the file
/// exists (see [`precompress`]), the file itself otherwise.
///
/// The file names stay the same from one release to the next, so browsers must ask before reusing
/// a copy (`no-cache`): a copy kept by heuristic freshness after an upgrade would meet the new
/// release's pages and fail to hydrate them. Asking is cheap: an unchanged file is answered
/// `304 Not Modified` (by its `Last-Modified`), without its body.
pub fn service(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let files = ServeDir::new(directory(options))
        .precompressed_br()
        .precompressed_gzip();
    SetResponseHeader::overriding(
        files,
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
}

/// What [`precompress`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Precompressed {
    pub compressed: usize,
    pub up_to_date: usize,
}

/// Writes `name.br` and `name.gz` beside each compressible bundle file that lacks an up-to-date
/// pair (a rebuild rewrites the file, so its copies are then older and are made again). Each copy
/// is written under a temporary name and renamed into place, so a request never reads half of one.
pub fn precompress(directory: &Path) -> io::Result<Precompressed> {
    let mut outcome = Precompressed::default();
    for entry in fs::read_dir(directory)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| COMPRESSIBLE.contains(&extension));
        if !compressible || !path.is_file() {
            continue;
        }
        let source_modified = fs::metadata(&path)?.modified()?;
        let brotli = sibling(&path, "br");
        let gzip = sibling(&path, "gz");
        if is_newer(&brotli, source_modified) && is_newer(&gzip, source_modified) {
            outcome.up_to_date += 1;
            continue;
        }
        let contents = fs::read(&path)?;
        write_atomically(&brotli, &brotli_compress(&contents)?)?;
        write_atomically(&gzip, &gzip_compress(&contents)?)?;
        outcome.compressed += 1;
    }
    Ok(outcome)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn is_newer(path: &Path, than: SystemTime) -> bool {
    fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .is_ok_and(|modified| modified >= than)
}

fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let partial = sibling(path, "partial");
    fs::write(&partial, contents)?;
    fs::rename(&partial, path)
}

fn brotli_compress(contents: &[u8]) -> io::Result<Vec<u8>> {
    const HIGHEST_QUALITY: u32 = 11;
    const WINDOW_BITS: u32 = 22;
    let mut compressed = Vec::new();
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut compressed, 64 * 1024, HIGHEST_QUALITY, WINDOW_BITS);
        io::Write::write_all(&mut writer, contents)?;
    }
    Ok(compressed)
}

fn gzip_compress(contents: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    io::Write::write_all(&mut encoder, contents)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compresses_each_bundle_file_once_and_again_after_a_rebuild() {
        let directory = std::env::temp_dir().join(format!("portal-bundle-{}", std::process::id()));
        fs::create_dir_all(&directory).unwrap();
        let script = "export function hydrate() {}\n".repeat(200);
        fs::write(directory.join("portal.js"), &script).unwrap();
        fs::write(directory.join("logo.png"), [0u8; 64]).unwrap();

        let first = precompress(&directory).unwrap();
        let second = precompress(&directory).unwrap();
        // A rebuild: the file is newer than its compressed copies.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(directory.join("portal.js"), format!("{script}// rebuilt\n")).unwrap();
        let after_rebuild = precompress(&directory).unwrap();

        let brotli = fs::read(directory.join("portal.js.br")).unwrap();
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut brotli.as_slice(), &mut unpacked).unwrap();
        let gzip = fs::read(directory.join("portal.js.gz")).unwrap();
        let mut gunzipped = String::new();
        io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(gzip.as_slice()),
            &mut gunzipped,
        )
        .unwrap();
        fs::remove_dir_all(&directory).unwrap();

        assert_eq!(
            first,
            Precompressed {
                compressed: 1,
                up_to_date: 0
            }
        );
        assert_eq!(
            second,
            Precompressed {
                compressed: 0,
                up_to_date: 1
            }
        );
        assert_eq!(
            after_rebuild,
            Precompressed {
                compressed: 1,
                up_to_date: 0
            }
        );
        assert_eq!(
            String::from_utf8(unpacked).unwrap(),
            format!("{script}// rebuilt\n")
        );
        assert_eq!(gunzipped, format!("{script}// rebuilt\n"));
        assert!(
            brotli.len() < script.len() / 10,
            "brotli is {} bytes",
            brotli.len()
        );
    }
}
