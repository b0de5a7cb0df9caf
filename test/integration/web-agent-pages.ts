// The pages and scenario the web agent tests share: a todo page whose Add button works or,
// with the bug, does nothing; and the scenario that adds an item.
import type { SmokeScenario } from '../../shared/index.js';

export function todoPage(addWorks: boolean): string {
  const add = addWorks
    ? `const li = document.createElement('li'); li.textContent = input.value; list.appendChild(li); input.value = '';`
    : `/* the bug: nothing happens */`;
  return `<!doctype html><html><head><title>My Todos</title></head><body>
<h1>Todos</h1>
<label for="item">New item</label> <input id="item" placeholder="What needs doing?">
<button id="add">Add</button>
<ul id="list" aria-label="todo list"></ul>
<img src="https://cdn.example.com/logo.png" alt="">
<script>
const input = document.getElementById('item');
const list = document.getElementById('list');
document.getElementById('add').addEventListener('click', () => { ${add} });
</script></body></html>`;
}

export const addScenario: SmokeScenario = {
  name: 'Adds an item',
  steps: ['open /', 'expect the title My Todos', 'type milk into the New item field', 'click Add', 'expect the text milk in the list'],
};
