//! Sealing personal data at rest: AES-256-GCM with a random nonce per value, and a keyed hash
//! (HMAC-SHA-256) of ID numbers so repeat requests can be found without opening anything.
//!
//! The master key is 32 bytes, read as hex from `GONGKAI_KEY` or from `<data-dir>/secret.key`
//! (created on first use, mode 0600). Two subkeys are derived from it so the cipher key and the
//! lookup key never coincide.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::StoreError;

const NONCE_LEN: usize = 12;

/// The keys that seal personal data and hash ID numbers.
#[derive(Clone)]
pub struct Crypto {
    cipher_key: [u8; 32],
    mac_key: [u8; 32],
}

impl std::fmt::Debug for Crypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crypto(…)")
    }
}

/// HMAC-SHA-256 (RFC 2104), written out because it is a dozen lines over `sha2`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

impl Crypto {
    /// Keys derived from a 32-byte master key.
    pub fn from_master(master: &[u8; 32]) -> Crypto {
        Crypto {
            cipher_key: hmac_sha256(master, b"gongkai/aes-256-gcm/v1"),
            mac_key: hmac_sha256(master, b"gongkai/id-number-mac/v1"),
        }
    }

    /// Keys from a 64-digit hex master key.
    pub fn from_hex(hex_key: &str) -> Result<Crypto, StoreError> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|e| StoreError::Crypto(format!("密钥不是十六进制 / key is not hex: {e}")))?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| {
            StoreError::Crypto("密钥须为 32 字节（64 位十六进制）/ key must be 32 bytes".into())
        })?;
        Ok(Crypto::from_master(&master))
    }

    /// A fresh random key (tests).
    pub fn random() -> Crypto {
        let mut master = [0u8; 32];
        rand::rng().fill_bytes(&mut master);
        Crypto::from_master(&master)
    }

    /// The key from `GONGKAI_KEY`, else from `<data_dir>/secret.key`, creating that file with a
    /// fresh random key on first use.
    pub fn load_or_create(data_dir: &Path) -> Result<Crypto, StoreError> {
        if let Ok(k) = std::env::var("GONGKAI_KEY")
            && !k.trim().is_empty()
        {
            return Crypto::from_hex(&k);
        }
        let path = data_dir.join("secret.key");
        let io = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Crypto::from_hex(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(io)?;
                let mut master = [0u8; 32];
                rand::rng().fill_bytes(&mut master);
                write_private(&path, &hex::encode(master)).map_err(io)?;
                Ok(Crypto::from_master(&master))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Seals a value: nonce || ciphertext+tag.
    pub fn seal(&self, plain: &str) -> Result<Vec<u8>, StoreError> {
        self.seal_bytes(plain.as_bytes())
    }

    /// Seals bytes (a file the applicant sent): nonce followed by ciphertext and tag.
    pub fn seal_bytes(&self, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let cipher = Aes256Gcm::new((&self.cipher_key).into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plain)
            .map_err(|_| StoreError::Crypto("加密失败 / sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens a sealed value.
    pub fn open(&self, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open_bytes(sealed)?).map_err(|e| StoreError::Crypto(e.to_string()))
    }

    /// Opens sealed bytes.
    pub fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < NONCE_LEN {
            return Err(StoreError::Crypto(
                "密文过短 / sealed value too short".into(),
            ));
        }
        let cipher = Aes256Gcm::new((&self.cipher_key).into());
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        cipher.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| {
            StoreError::Crypto("解密失败（密钥不符？）/ cannot open (wrong key?)".into())
        })
    }

    /// Seals an optional value.
    pub fn seal_opt(&self, plain: Option<&str>) -> Result<Option<Vec<u8>>, StoreError> {
        plain
            .filter(|s| !s.is_empty())
            .map(|s| self.seal(s))
            .transpose()
    }

    /// The keyed hash of an ID number, normalised (spaces dropped, `x` upper-cased) so the same
    /// person is found however the number was typed.
    pub fn id_number_mac(&self, id_number: &str) -> String {
        let norm: String = id_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        hex::encode(hmac_sha256(&self.mac_key, norm.as_bytes()))
    }

    /// The keyed hash of a value the 保密审查 scan found (`kind` its finding kind, `value` as
    /// `gongkai_review::Finding::value` normalises it): how a stored finding, a reviewer's
    /// exception and a 遮盖 name the same number without keeping it. The prefix keeps it apart
    /// from the other hashes made with the same key.
    pub fn review_value_mac(&self, kind: &str, value: &str) -> String {
        let mut message = format!("review:{kind}:").into_bytes();
        message.extend_from_slice(value.as_bytes());
        hex::encode(hmac_sha256(&self.mac_key, &message))
    }

    /// The keyed hash of an application's query code (查询码). The code works like a password
    /// for `/track`, so only this hash is stored; the prefix keeps it apart from the ID-number
    /// hashes made with the same key.
    pub fn query_code_mac(&self, code: &str) -> String {
        let mut message = b"query_code:".to_vec();
        message.extend_from_slice(code.trim().as_bytes());
        hex::encode(hmac_sha256(&self.mac_key, &message))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn seal_round_trips_and_differs_each_time() {
        let c = Crypto::random();
        let a = c.seal("41142319900101001X").unwrap();
        let b = c.seal("41142319900101001X").unwrap();
        assert_ne!(a, b);
        assert_eq!(c.open(&a).unwrap(), "41142319900101001X");
        assert!(Crypto::random().open(&a).is_err());
        assert_eq!(
            c.id_number_mac("41142319900101001x"),
            c.id_number_mac(" 41142319900101001X")
        );
    }

    #[test]
    fn key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        // The env var would override the file; this test only runs meaningfully without it.
        if std::env::var("GONGKAI_KEY").is_ok() {
            return;
        }
        let a = Crypto::load_or_create(dir.path()).unwrap();
        let b = Crypto::load_or_create(dir.path()).unwrap();
        let sealed = a.seal("x").unwrap();
        assert_eq!(b.open(&sealed).unwrap(), "x");
    }
}
