package com.shop.model;

import java.util.List;

public class Order {
    private final List<Integer> cents;

    public Order(List<Integer> cents) {
        this.cents = cents;
    }

    public int total() {
        return cents.stream().mapToInt(Integer::intValue).sum();
    }
}
