package com.shop.service;

import com.shop.model.Order;

final class Validator {
    static void check(Order order) {
        if (order.total() <= 0) throw new IllegalArgumentException("empty order");
    }
}
