cadreSearch.meta({"docs":7,"shards":2});
