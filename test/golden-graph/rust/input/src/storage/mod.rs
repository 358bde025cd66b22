// A `new` and a `load` unrelated to net::client and config: server.rs never imports this module.
pub struct Storage {
    path: String,
}

impl Storage {
    pub fn new(path: &str) -> Self {
        Storage { path: path.to_string() }
    }

    pub fn load(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap_or_default()
    }
}
