pub struct Client {
    host: String,
}

impl Client {
    pub fn new(host: &str) -> Self {
        Client { host: host.to_string() }
    }

    pub fn connect(&self, port: u16) {
        println!("connecting to {}:{}", self.host, port);
    }
}
