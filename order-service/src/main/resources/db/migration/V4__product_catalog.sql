-- The courses the shop sells, which orders are checked against (unknown course: 422, another
-- price: 409 with this one). In the database rather than in each instance's configuration, so
-- that a price change reaches every instance at once and an order is judged by the price every
-- product page shows. The contract's order names its course by title, hence UNIQUE (title).
--
-- updated_at is the pages' Last-Modified: change it with the row (UPDATE ... SET price = 72,
-- updated_at = CURRENT_TIMESTAMP) or caches revalidating by date keep the old page. The seed's
-- is a fixed instant, so every database, H2 or PostgreSQL, serves the same header.
CREATE TABLE product (
  sku         VARCHAR(64)              PRIMARY KEY,
  title       VARCHAR(400)             NOT NULL UNIQUE,
  author      VARCHAR(200)             NOT NULL,
  price       NUMERIC(12, 2)           NOT NULL CHECK (price >= 0),
  description VARCHAR(4000)            NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO product (sku, title, author, price, description, updated_at) VALUES
  ('course-1001', '趣谈网络协议', '刘超', 68,
   '从 DNS 到 CDN，再到负载均衡：一次网购背后的网络协议。',
   TIMESTAMP WITH TIME ZONE '2018-07-01 00:00:00+00'),
  ('course-1002', '深入浅出计算机组成原理', '徐文浩', 68,
   '从晶体管到指令集，计算机是怎样工作的。',
   TIMESTAMP WITH TIME ZONE '2018-07-01 00:00:00+00'),
  ('course-1003', 'Linux 性能优化实战', '倪朋飞', 99,
   'CPU、内存、I/O 与网络的性能分析方法。',
   TIMESTAMP WITH TIME ZONE '2018-07-01 00:00:00+00');
