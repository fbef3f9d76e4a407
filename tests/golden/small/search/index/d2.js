cadreSearch.doc(2,["skills/flood-drill/","防汛演练","一次完整的转移演练怎么组织。\n演练前先核对 走访台账 。 演练目标 人人知道往哪里走。"]);
