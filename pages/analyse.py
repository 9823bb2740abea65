import streamlit as st
st.title('analyse')
st.info('This page is being built.')
