package com.shop.service;

import com.shop.model.Order;

public class OrderService {
    private final String currency;

    public OrderService(String currency) {
        this.currency = currency;
    }

    public void place(Order order) {
        Validator.check(order);
    }

    public String summary(Order order) {
        return order.total() + " " + currency;
    }
}
