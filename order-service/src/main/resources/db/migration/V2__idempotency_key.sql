-- The client's Idempotency-Key, kept with the order it placed. The unique index is what makes a
-- retry storm across instances place one order: the database, not an instance's memory, decides
-- which of two concurrent inserts with one key wins. Orders without a key store NULL, which a
-- unique index allows any number of times.
ALTER TABLE purchase_order ADD COLUMN idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX purchase_order_idempotency_key ON purchase_order (idempotency_key);
