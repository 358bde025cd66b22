package com.shop;

import com.shop.model.Order;
import com.shop.service.*;
import java.util.List;
import static com.shop.util.Strings.pad;

public class App {
    public static void main(String[] args) {
        // Config is in this package: no import needed.
        Config config = new Config();
        OrderService service = new OrderService(config.get("currency"));
        Order order = new Order(List.of(250, 100));
        service.place(order);
        System.out.println(pad(service.summary(order), 20));
    }
}
