"""Toolset shop: orders, a product catalogue and an outbox, in memory."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from generated import ToolError
from generated.shop import (
    LookupOrderStatusArguments,
    LookupOrderStatusResult,
    SearchProductsArguments,
    SearchProductsResult,
    SendEmailArguments,
    SendEmailResult,
    ShopHandlers,
)
from generated.shop.models import SearchProductsResultProductsItem as Product

OrderStatus = LookupOrderStatusResult


@dataclass
class Email:
    to: list[str]
    subject: str
    body: str


CATALOGUE: list[Product] = [
    Product(sku="G-101", name="Garden hose, 25 m", category="garden", price=24.9, currency="EUR", in_stock=True),
    Product(sku="G-102", name="Garden hose, 50 m", category="garden", price=39.0, currency="EUR", in_stock=False),
    Product(sku="B-201", name="Dune, paperback", category="books", price=11.5, currency="EUR", in_stock=True),
    Product(sku="B-202", name="Dune Messiah, hardcover", category="books", price=22.0, currency="EUR", in_stock=True),
    Product(sku="E-301", name="USB-C charger, 65 W", category="electronics", price=35.0, currency="EUR", in_stock=True),
    Product(sku="T-401", name="Wooden train set", category="toys", price=49.0, currency="EUR", in_stock=False),
]

# Prices are in EUR; other currencies are converted at these rates (units of EUR per unit).
RATES: dict[str, float] = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.04}


class Shop(ShopHandlers):
    """Orders and products from tables; send_email keeps the messages in `outbox`."""

    def __init__(self) -> None:
        self.orders: dict[str, OrderStatus] = {
            "ORD-004211": OrderStatus(
                order_id="ORD-004211", status="shipped", items=["G-101"], carrier="DHL, arriving Thursday"
            ),
            "ORD-004212": OrderStatus(
                order_id="ORD-004212", status="processing", items=["B-201", "B-202"], carrier=None
            ),
        }
        self.outbox: list[Email] = []
        self._lock = threading.Lock()

    def lookup_order_status(self, args: LookupOrderStatusArguments) -> OrderStatus:
        order = self.orders.get(args.order_id)
        if order is None:
            raise ToolError(f"there is no order {args.order_id}")
        return order

    def search_products(self, args: SearchProductsArguments) -> SearchProductsResult:
        words = args.query.lower().split()
        found = [
            p
            for p in CATALOGUE
            if all(word in p.name.lower() for word in words)
            and (args.category is None or p.category == args.category)
            and (not args.in_stock or p.in_stock)
        ]
        if args.max_price is not None:
            rate = RATES.get(args.max_price.currency)
            if rate is None:
                raise ToolError(
                    f"prices cannot be compared in {args.max_price.currency}: use one of {', '.join(RATES)}"
                )
            found = [p for p in found if p.price <= args.max_price.amount * rate]
        return SearchProductsResult(products=found[: args.limit], total=len(found))

    def send_email(self, args: SendEmailArguments) -> SendEmailResult:
        if not all("@" in address for address in args.to):
            raise ToolError("every recipient must be an e-mail address")
        with self._lock:
            self.outbox.append(Email(list(args.to), args.subject, args.body))
            number = len(self.outbox)
        return SendEmailResult(sent=True, message_id=f"MSG-{number:04d}", recipients=len(args.to))
