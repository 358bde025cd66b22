package com.shop.legacy;

// A second Order with its own total(): App and the service import com.shop.model.Order, not this one.
public class Order {
    public int total() {
        return 0;
    }

    public String get(String key) {
        return key;
    }
}
