package com.shop;

import java.util.Map;

class Config {
    private final Map<String, String> values = Map.of("currency", "EUR");

    String get(String key) {
        // Known limit: by name, the Map's `values.get` resolves to this very method.
        return values.get(key);
    }
}
