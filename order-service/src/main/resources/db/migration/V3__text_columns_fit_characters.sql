-- The application limits className to 200 and Author to 100 characters (code points). PostgreSQL
-- (UTF8) counts VARCHAR lengths in code points, but H2 counts UTF-16 units, so 200 emoji were
-- "too long" there and failed the insert. Twice the width holds any 200 code points in both; the
-- limit itself stays in OrderForm, which names the field.
ALTER TABLE purchase_order ALTER COLUMN class_name SET DATA TYPE VARCHAR(400);
ALTER TABLE purchase_order ALTER COLUMN author SET DATA TYPE VARCHAR(200);
