use super::client::Client;
use crate::config::Settings;

pub fn start(settings: &Settings) {
    let client = Client::new(&settings.host);
    client.connect(settings.port);
}
