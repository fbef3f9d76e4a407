cadreSearch.meta({"docs":7,"shards":1});
