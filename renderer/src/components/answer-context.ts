// Which turn a Markdown answer belongs to, for its file cards: the files the turn wrote
// (open them), its task (show the change it made). The editor's preview has none.
import { createContext, useContext } from 'react';
import type { Task } from '../../../shared/index.js';
import type { TaskView } from '../store/task-view.js';

export interface AnswerTurn {
  task: Task | null;
  view: TaskView;
}

export const AnswerContext = createContext<AnswerTurn | null>(null);

export function useAnswerTurn(): AnswerTurn | null {
  return useContext(AnswerContext);
}
