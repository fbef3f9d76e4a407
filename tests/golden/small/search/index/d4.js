cadreSearch.doc(4,["skills/flood-drill/run/","组织实施 · 防汛演练","组织实施 按方案敲锣、入户、清点人数。"]);
