package com.example.orders;

import java.time.Instant;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import static java.util.Objects.requireNonNull;

/** Accepts, prices and ships orders. */
public class OrderService implements AutoCloseable {

    public enum Status { NEW, PAID, SHIPPED }

    public interface Listener {
        void onStatus(Order order, Status status);
    }

    public record Order(String id, List<Line> lines, Status status, Instant createdAt) {
        public Order {
            requireNonNull(id, "id");
        }

        public double total() {
            return lines.stream().mapToDouble(Line::amount).sum();
        }
    }

    public static final class Line {
        private final String sku;
        private final int quantity;
        private final double unitPrice;

        Line(String sku, int quantity, double unitPrice) {
            this.sku = sku;
            this.quantity = quantity;
            this.unitPrice = unitPrice;
        }

        double amount() {
            return quantity * unitPrice;
        }
    }

    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();

    public OrderService() {
        this(List.of());
    }

    public OrderService(List<Listener> initial) {
        listeners.addAll(initial);
    }

    public Order place(String id, List<Line> lines) {
        Order order = new Order(id, lines, Status.NEW, Instant.now());
        orders.put(id, order);
        notify(order, Status.NEW);
        return order;
    }

    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    private void notify(Order order, Status status) {
        for (Listener listener : listeners) {
            listener.onStatus(order, status);
        }
    }

    @Override
    public void close() {
        orders.clear();
        listeners.clear();
    }
}
