use serde::Deserialize;

#[derive(Deserialize)]
pub struct Settings {
    pub host: String,
    pub port: u16,
}

impl Settings {
    pub fn load() -> Self {
        let settings = Settings { host: "localhost".into(), port: 8080 };
        settings.validate();
        settings
    }

    fn validate(&self) {
        assert!(self.port != 0);
    }
}
