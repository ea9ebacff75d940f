// Forms whose action cannot be undone carry data-confirm: the admin is asked before they are sent.
document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
        event.preventDefault();
    }
});
