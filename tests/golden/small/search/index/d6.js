cadreSearch.doc(6,["guides/exam-rules/","考试规则","\n合格分数 初级 60 分,中级 75 分,高级 85 分。回到 如何学习 。"]);
