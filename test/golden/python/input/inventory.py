"""Inventory tracking with pluggable pricing strategies."""
from __future__ import annotations

import json
import os.path as osp
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .pricing import PriceTable, discount
from . import events

DEFAULT_CURRENCY = "EUR"
MAX_ITEMS = 10_000


@dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    tags: list[str] = field(default_factory=list)

    def is_available(self) -> bool:
        return self.quantity > 0


class Inventory:
    """A set of items keyed by SKU."""

    class Error(Exception):
        pass

    def __init__(self, prices: PriceTable, currency: str = DEFAULT_CURRENCY) -> None:
        self._items: dict[str, Item] = {}
        self._prices = prices
        self._currency = currency
        self._by_tag = defaultdict(set)

    def add(self, item: Item) -> None:
        if len(self._items) >= MAX_ITEMS:
            raise Inventory.Error(f"inventory full ({MAX_ITEMS} items)")
        self._items[item.sku] = item
        for tag in item.tags:
            self._by_tag[tag].add(item.sku)
        events.emit("added", item.sku)

    def value(self) -> float:
        total = 0.0
        for item in self._items.values():
            price = self._prices.lookup(item.sku, self._currency)
            total += discount(price, item.quantity) * item.quantity
        return total

    @staticmethod
    def load(path: str) -> "Inventory":
        with open(path) as handle:
            raw = json.load(handle)
        inventory = Inventory(PriceTable.from_dict(raw["prices"]))
        for entry in raw["items"]:
            inventory.add(Item(**entry))
        return inventory


def tagged(inventory: Inventory, tag: str) -> Iterable[Item]:
    def matches(item: Item) -> bool:
        return tag in item.tags

    return filter(matches, inventory._items.values())


async def refresh(inventory: Inventory, source: Optional[str] = None) -> int:
    path = source or osp.join(os.getcwd(), "inventory.json")
    fresh = Inventory.load(path)
    count = 0
    for sku, item in fresh._items.items():
        inventory.add(item)
        count += 1
    return count


if __name__ == "__main__":
    print(Inventory.load("inventory.json").value())
