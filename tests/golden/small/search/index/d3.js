cadreSearch.doc(3,["skills/flood-drill/plan/","制定方案 · 防汛演练","方案要点 写明转移对象、路线、安置点。下一课见 组织实施 。"]);
