package store

import (
	"encoding/json"
	"os"

	"example.com/shop/internal/cart"
)

func Save(c *cart.Cart) error {
	data, err := json.Marshal(c.Total())
	if err != nil {
		return err
	}
	return os.WriteFile("cart.json", data, 0o600)
}
