mod config;
mod net;
mod storage;

use std::collections::HashMap;

use crate::config::Settings;

// Known limits of resolving by name:
// - `mod storage;` brings storage's items within reach, so `HashMap::new` resolves to Storage::new and
//   `Settings::load` to both Settings::load and Storage::load (the edge main.rs -> storage/mod.rs).
// - `net::server::start` names a file two `mod` levels down: `start` stays unresolved (ambiguous).
fn main() {
    let settings = Settings::load();
    let mut peers: HashMap<String, u16> = HashMap::new();
    peers.insert(settings.host.clone(), settings.port);
    net::server::start(&settings);
}
